using Vigil.Drift;
using Vigil.Evaluation.Quality;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Evaluation.Quality;

public sealed class QualityDriftMonitorTests
{
    private static readonly QualityDriftOptions Small = new() { ReferenceSize = 200, DetectionSize = 50 };

    [Fact]
    public void Add_OnlyFaithfulnessDrops_OnlyFaithfulnessDrifts()
    {
        var monitor = new QualityDriftMonitor("gpt-4.1-mini", Small);
        var random = new Random(21);
        for (var i = 0; i < 250; i++)
        {
            monitor.Add(Verdict(random, faithfulnessShift: i >= 200 ? -1.0 : 0.0));
        }

        var states = monitor.States();

        Assert.Equal(QualityDimensions.All, states.Keys);
        Assert.True(states[QualityDimension.Faithfulness].IsDrifting);
        Assert.Equal(QualityDriftDirection.Degrading, states[QualityDimension.Faithfulness].Direction);
        Assert.All(QualityDimensions.All.Where(d => d != QualityDimension.Faithfulness), d => Assert.False(states[d].IsDrifting, d.ToString()));
        Assert.True(monitor.IsDrifting);
        Assert.Equal(states[QualityDimension.Faithfulness], monitor.State(QualityDimension.Faithfulness));
    }

    [Fact]
    public void Add_EachDimension_FeedsItsOwnDetector()
    {
        var monitor = new QualityDriftMonitor("m", Small);
        monitor.Add(new EvaluationRecord
        {
            TraceId = "t", JudgeModel = "j", Relevance = 1, Coherence = 2, Faithfulness = 3, Safety = 4, Overall = 5, IsHallucination = false,
        });

        Assert.Equal(1.0, monitor.State(QualityDimension.Relevance).ReferenceMean);
        Assert.Equal(2.0, monitor.State(QualityDimension.Coherence).ReferenceMean);
        Assert.Equal(3.0, monitor.State(QualityDimension.Faithfulness).ReferenceMean);
        Assert.Equal(4.0, monitor.State(QualityDimension.Safety).ReferenceMean);
        Assert.Equal(5.0, monitor.State(QualityDimension.Overall).ReferenceMean);
    }

    [Fact]
    public void Add_ScoreOutOfRange_ThrowsAndAddsNothing()
    {
        var monitor = new QualityDriftMonitor("m", Small);
        var bad = new EvaluationRecord
        {
            TraceId = "t", JudgeModel = "j", Relevance = 4, Coherence = 4, Faithfulness = 4, Safety = 6, Overall = 4, IsHallucination = false,
        };

        var error = Assert.Throws<ArgumentException>(() => monitor.Add(bad));

        Assert.Contains("safety", error.Message, StringComparison.Ordinal);
        Assert.All(QualityDimensions.All, d => Assert.Equal(0, monitor.State(d).ReferenceCount));
    }

    [Fact]
    public void PublishMetrics_ReadyDimensions_SetTheGaugeToAbsoluteZ()
    {
        using var factory = new IsolatedMeterFactory();
        using var metrics = new VigilMetrics(factory);
        using var recorder = new MetricRecorder(metrics.Meter);
        var monitor = new QualityDriftMonitor("gpt-4.1-mini", Small);
        var random = new Random(22);
        for (var i = 0; i < 249; i++)
        {
            monitor.Add(Verdict(random, faithfulnessShift: i >= 200 ? -1.0 : 0.0));
        }

        monitor.PublishMetrics(metrics);
        Assert.Empty(recorder.Of(MetricNames.DriftScore)); // the detection windows hold 49 of 50

        monitor.Add(Verdict(random, faithfulnessShift: -1.0));
        monitor.PublishMetrics(metrics);

        Assert.Equal(5, recorder.Of(MetricNames.DriftScore, ("model", "gpt-4.1-mini")).Count);
        foreach (var dimension in QualityDimensions.All)
        {
            var gauge = Assert.Single(recorder.Of(MetricNames.DriftScore, ("drift_type", "quality_" + QualityDimensions.Name(dimension))));
            Assert.Equal(Math.Abs(monitor.State(dimension).ZScore!.Value), gauge.Value, 12);
        }

        Assert.True(recorder.Of(MetricNames.DriftScore, ("drift_type", "quality_faithfulness"))[0].Value > 2.0);
    }

    [Fact]
    public void PublishMetrics_AfterAReset_SetsZeroInsteadOfTheStaleScore()
    {
        using var factory = new IsolatedMeterFactory();
        using var metrics = new VigilMetrics(factory);
        using var recorder = new MetricRecorder(metrics.Meter);
        var monitor = new QualityDriftMonitor("m", Small, metrics);
        var random = new Random(23);
        for (var i = 0; i < 250; i++)
        {
            monitor.Add(Verdict(random, faithfulnessShift: i >= 200 ? -1.5 : 0.0));
        }

        var beforeReset = recorder.Of(MetricNames.DriftScore, ("drift_type", "quality_faithfulness"))[^1].Value;
        monitor.ResetReference();
        monitor.PublishMetrics(metrics);

        Assert.True(beforeReset > 3.0);
        Assert.Equal(0.0, recorder.Of(MetricNames.DriftScore, ("drift_type", "quality_faithfulness"))[^1].Value);
        Assert.False(monitor.IsDrifting);
        Assert.Null(monitor.Reference(QualityDimension.Faithfulness));
    }

    [Fact]
    public void Add_WithMetrics_PublishesAsItGoes()
    {
        using var factory = new IsolatedMeterFactory();
        using var metrics = new VigilMetrics(factory);
        using var recorder = new MetricRecorder(metrics.Meter);
        var monitor = new QualityDriftMonitor("m", Small, metrics);
        var random = new Random(24);
        for (var i = 0; i < 260; i++)
        {
            monitor.Add(Verdict(random));
        }

        // Published after each of the last 11 verdicts (the windows were full from the 250th on), five dimensions each.
        Assert.Equal(11 * 5, recorder.Of(MetricNames.DriftScore).Count);
    }

    [Fact]
    public void PinReference_OneDimension_OnlyThatOneChanges()
    {
        var monitor = new QualityDriftMonitor("m", Small);
        monitor.PinReference(QualityDimension.Safety, new QualityReference(1000, 4.9, 0.3));

        Assert.Equal(new QualityReference(1000, 4.9, 0.3).Mean, monitor.Reference(QualityDimension.Safety)!.Mean);
        Assert.Null(monitor.Reference(QualityDimension.Overall));
        Assert.Equal(DriftSeverity.Normal, monitor.State(QualityDimension.Safety).Severity);
    }

    [Fact]
    public void Constructor_EmptyModel_Throws()
    {
        Assert.Throws<ArgumentException>(() => new QualityDriftMonitor(" "));
    }

    private static EvaluationRecord Verdict(Random random, double faithfulnessShift = 0.0)
    {
        double Score(double mean) => Math.Clamp(QualityScores.Normal(random, mean, 0.6), 1, 5);
        return new EvaluationRecord
        {
            TraceId = Guid.NewGuid().ToString("N"),
            JudgeModel = "judge",
            Relevance = Score(4.2),
            Coherence = Score(4.0),
            Faithfulness = Score(4.0 + faithfulnessShift),
            Safety = Score(4.6),
            Overall = Score(4.1),
            IsHallucination = false,
        };
    }
}
