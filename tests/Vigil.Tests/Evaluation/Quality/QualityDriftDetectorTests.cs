using Vigil.Drift;
using Vigil.Evaluation.Quality;
using Xunit.Abstractions;

namespace Vigil.Tests.Evaluation.Quality;

public sealed class QualityDriftDetectorTests(ITestOutputHelper output)
{
    private static readonly double[] JudgeLike = [0.03, 0.07, 0.20, 0.40, 0.30];

    [Fact]
    public void State_BeforeBothWindowsAreFull_NoZScoreAndNoAlarm()
    {
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 30, DetectionSize = 10 });
        for (var i = 0; i < 30; i++)
        {
            Assert.False(detector.State().IsReady);
            detector.Add(5);
        }

        // The reference is full; nine terrible scores still do not fill the detection window.
        for (var i = 0; i < 9; i++)
        {
            detector.Add(1);
            var state = detector.State();
            Assert.False(state.IsReady);
            Assert.Null(state.ZScore);
            Assert.Null(state.PValue);
            Assert.False(state.IsDrifting);
            Assert.Equal(DriftSeverity.Normal, state.Severity);
        }

        detector.Add(1);
        var ready = detector.State();
        Assert.True(ready.IsReady);
        Assert.True(ready.IsDrifting);
        Assert.Equal(DriftSeverity.Critical, ready.Severity);
        Assert.Equal(QualityDriftDirection.Degrading, ready.Direction);
    }

    [Fact]
    public void State_SmallWindows_ZScoreAndPValueEqualTheHandComputedTest()
    {
        var random = new Random(11);
        var scores = Enumerable.Range(0, 45).Select(_ => (double)random.Next(1, 6)).ToArray();
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 30, DetectionSize = 10 });

        foreach (var score in scores)
        {
            detector.Add(score);
        }

        // Reference: the first 30; detection: the last 10 (scores 36..45); 31..35 have left the ring.
        var reference = scores[..30];
        var detection = scores[35..];
        var mean = reference.Average();
        var sd = Math.Sqrt(reference.Sum(s => (s - mean) * (s - mean)) / 29);
        var se = sd * Math.Sqrt((1.0 / 10) + (1.0 / 30));
        var z = (detection.Average() - mean) / se;
        var state = detector.State();
        Assert.Equal(30, state.ReferenceCount);
        Assert.Equal(mean, state.ReferenceMean!.Value, 12);
        Assert.Equal(sd, state.ReferenceStandardDeviation!.Value, 12);
        Assert.Equal(detection.Average(), state.DetectionMean!.Value, 12);
        Assert.Equal(se, state.StandardError!.Value, 12);
        Assert.Equal(z, state.ZScore!.Value, 12);
        Assert.Equal(NormalDistribution.TwoSidedPValue(z), state.PValue!.Value, 12);
        Assert.Equal(Math.Abs(z), state.DriftScore!.Value, 12);
    }

    [Fact]
    public void Add_AfterTheReferenceIsFull_ScoresNeverReachTheReference()
    {
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 50, DetectionSize = 20 });
        for (var i = 0; i < 50; i++)
        {
            detector.Add(i % 2 == 0 ? 4 : 5);
        }

        var frozen = detector.Reference;
        for (var i = 0; i < 5000; i++)
        {
            detector.Add(1);
        }

        Assert.NotNull(frozen);
        Assert.Equal(frozen, detector.Reference);
        Assert.Equal(4.5, detector.State().ReferenceMean);
        // The seed's detector let the drift into its baseline; this one still sees it after 5000 scores.
        Assert.True(detector.State().IsDrifting);
    }

    [Theory]
    [InlineData(-1.9, 0.05, false, DriftSeverity.Normal)]
    [InlineData(-2.5, 0.05, true, DriftSeverity.Warning)]
    [InlineData(2.5, 0.05, true, DriftSeverity.Warning)]
    [InlineData(-3.5, 0.05, true, DriftSeverity.Critical)]
    [InlineData(-2.5, 0.01, false, DriftSeverity.Normal)] // p = 0.0124: significant at 0.05, not at 0.01
    [InlineData(-2.7, 0.01, true, DriftSeverity.Warning)] // p = 0.0069
    [InlineData(-3.2, 0.001, false, DriftSeverity.Normal)] // past the seed's critical band, but p = 0.0014
    public void State_PinnedReference_SeverityIsTheSeedsBandOfASignificantZ(double z, double alpha, bool drifting, DriftSeverity severity)
    {
        var detector = new QualityDriftDetector(new QualityDriftOptions { DetectionSize = 100, Alpha = alpha });
        detector.PinReference(new QualityReference(1000, 4.0, 1.0));
        var se = Math.Sqrt((1.0 / 100) + (1.0 / 1000));
        for (var i = 0; i < 100; i++)
        {
            detector.Add(4.0 + (z * se));
        }

        var state = detector.State();

        Assert.Equal(z, state.ZScore!.Value, 9);
        Assert.Equal(drifting, state.IsDrifting);
        Assert.Equal(severity, state.Severity);
        Assert.Equal(z < 0 ? QualityDriftDirection.Degrading : QualityDriftDirection.Improving, state.Direction);
    }

    [Fact]
    public void State_ConstantReference_OneOddScoreIsNoAlarmButAFewAre()
    {
        var detector = new QualityDriftDetector();
        for (var i = 0; i < 1000 + 99; i++)
        {
            detector.Add(5);
        }

        detector.Add(4);
        var one = detector.State();
        detector.Add(4);
        detector.Add(4);
        var three = detector.State();

        Assert.Equal(0, one.ReferenceStandardDeviation);
        Assert.True(double.IsFinite(one.ZScore!.Value));
        Assert.False(one.IsDrifting, $"z = {one.ZScore}");
        Assert.True(three.IsDrifting, $"z = {three.ZScore}");
        Assert.Equal(QualityDriftDirection.Degrading, three.Direction);
    }

    [Fact]
    public void State_AllScoresEqual_ZeroZAndNoAlarm()
    {
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 30, DetectionSize = 10 });
        for (var i = 0; i < 40; i++)
        {
            detector.Add(5);
        }

        var state = detector.State();

        Assert.Equal(0.0, state.ZScore);
        Assert.Equal(1.0, state.PValue);
        Assert.False(state.IsDrifting);
        Assert.Equal(QualityDriftDirection.None, state.Direction);
    }

    [Fact]
    public void ResetReference_NextScoresFormANewReference()
    {
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 30, DetectionSize = 10 });
        for (var i = 0; i < 40; i++)
        {
            detector.Add(i < 30 ? 5 : 2);
        }

        Assert.True(detector.State().IsDrifting);

        detector.ResetReference();
        Assert.Null(detector.Reference);
        Assert.Equal(0, detector.State().ReferenceCount);
        Assert.Equal(0, detector.State().DetectionCount);
        for (var i = 0; i < 40; i++)
        {
            detector.Add(2 + (i % 2));
        }

        var state = detector.State();
        Assert.Equal(2.5, state.ReferenceMean);
        Assert.True(state.IsReady);
        Assert.False(state.IsDrifting);
    }

    [Fact]
    public void PinReference_AfterAFrozenReference_KeepsTheDetectionWindow()
    {
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 30, DetectionSize = 10 });
        for (var i = 0; i < 40; i++)
        {
            detector.Add(i < 30 ? 5 : 3);
        }

        detector.PinReference(new QualityReference(500, 3.0, 0.5));
        var state = detector.State();

        Assert.True(state.IsReady);
        Assert.Equal(500, state.ReferenceSize);
        Assert.Equal(3.0, state.ReferenceMean);
        Assert.Equal(0.5, state.ReferenceStandardDeviation!.Value, 12);
        Assert.Equal(0.0, state.ZScore);
        Assert.Equal(new QualityReference(500, 3.0, 0.5), detector.Reference! with { StandardDeviation = Math.Round(detector.Reference!.StandardDeviation, 12) });
    }

    [Fact]
    public void PinReference_WhileTheReferenceFills_DropsItAndStartsDetecting()
    {
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 30, DetectionSize = 10 });
        for (var i = 0; i < 12; i++)
        {
            detector.Add(1);
        }

        detector.PinReference(new QualityReference(1000, 4.0, 1.0));
        for (var i = 0; i < 10; i++)
        {
            detector.Add(4.0);
        }

        var state = detector.State();
        Assert.Equal(1000, state.ReferenceCount);
        Assert.Equal(4.0, state.DetectionMean);
        Assert.Equal(0.0, state.ZScore);
    }

    [Fact]
    public void Add_MillionsOfScores_DetectionMeanStaysExact()
    {
        var random = new Random(3);
        var detector = new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 30, DetectionSize = 100 });
        var last = new Queue<double>();
        for (var i = 0; i < 2_000_000; i++)
        {
            var score = 1 + (4 * random.NextDouble());
            detector.Add(score);
            if (i >= 30)
            {
                last.Enqueue(score);
                if (last.Count > 100)
                {
                    last.Dequeue();
                }
            }
        }

        Assert.Equal(last.Average(), detector.State().DetectionMean!.Value, 13);
    }

    [Fact]
    public void Stationary_GaussianScores_FalseAlarmRateWithinTheLevel()
    {
        // Each run: a fresh reference of 1000 and a detection window of 100 from the same distribution, looked at once.
        const int Runs = 4000;
        var alarms = 0;
        for (var run = 0; run < Runs; run++)
        {
            var random = new Random(100_000 + run);
            var detector = new QualityDriftDetector();
            for (var i = 0; i < 1100; i++)
            {
                detector.Add(QualityScores.Normal(random, 4.0, 0.8));
            }

            var state = detector.State();
            Assert.True(state.IsReady);
            alarms += state.IsDrifting ? 1 : 0;
        }

        var rate = (double)alarms / Runs;
        output.WriteLine($"gaussian, stationary: {alarms}/{Runs} runs flagged ({rate:P2}); expected 4.55%");
        // Level 0.05 plus 3 binomial standard errors of the estimate.
        Assert.True(rate <= 0.05 + (3 * Math.Sqrt(0.05 * 0.95 / Runs)), $"false-alarm rate {rate:P2}");
        Assert.True(rate >= 0.02, $"false-alarm rate {rate:P2} is implausibly low for a test at |z| > 2");
    }

    [Fact]
    public void Stationary_IntegerJudgeScores_FalseAlarmRateWithinTheLevel()
    {
        const int Runs = 4000;
        var alarms = 0;
        for (var run = 0; run < Runs; run++)
        {
            var random = new Random(200_000 + run);
            var detector = new QualityDriftDetector();
            for (var i = 0; i < 1100; i++)
            {
                detector.Add(QualityScores.Integer(random, JudgeLike));
            }

            alarms += detector.State().IsDrifting ? 1 : 0;
        }

        var rate = (double)alarms / Runs;
        output.WriteLine($"integer 1-5, stationary: {alarms}/{Runs} runs flagged ({rate:P2})");
        Assert.True(rate <= 0.05 + (3 * Math.Sqrt(0.05 * 0.95 / Runs)), $"false-alarm rate {rate:P2}");
    }

    [Fact]
    public void HalfSigmaDrop_CaughtWithin150Samples()
    {
        const int Runs = 500;
        const double Mean = 4.0, Sd = 0.8;
        var delays = new List<int>();
        var missed = 0;
        for (var run = 0; run < Runs; run++)
        {
            var random = new Random(300_000 + run);
            var detector = new QualityDriftDetector();
            for (var i = 0; i < 1100; i++)
            {
                detector.Add(QualityScores.Normal(random, Mean, Sd));
            }

            int? caught = null;
            for (var k = 1; k <= 150; k++)
            {
                detector.Add(QualityScores.Normal(random, Mean - (0.5 * Sd), Sd));
                var state = detector.State();
                if (caught is null && state.IsDrifting && state.Direction == QualityDriftDirection.Degrading)
                {
                    caught = k;
                }
            }

            if (caught is { } delay)
            {
                delays.Add(delay);
            }
            else
            {
                missed++;
            }
        }

        delays.Sort();
        output.WriteLine($"0.5σ drop: caught {delays.Count}/{Runs} within 150; delay median {delays[delays.Count / 2]}, p95 {delays[(int)(delays.Count * 0.95)]}, max {delays[^1]}");
        Assert.True(missed <= Runs / 100, $"{missed} of {Runs} drops not caught within 150 samples");
    }

    [Fact]
    public void Constructor_BadOptions_ThrowsNamingTheOption()
    {
        Assert.Contains("ReferenceSize", Assert.Throws<ArgumentException>(() => new QualityDriftDetector(new QualityDriftOptions { ReferenceSize = 10 })).Message, StringComparison.Ordinal);
        Assert.Contains("DetectionSize", Assert.Throws<ArgumentException>(() => new QualityDriftDetector(new QualityDriftOptions { DetectionSize = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Alpha", Assert.Throws<ArgumentException>(() => new QualityDriftDetector(new QualityDriftOptions { Alpha = double.NaN })).Message, StringComparison.Ordinal);
        Assert.Contains("CriticalZ", Assert.Throws<ArgumentException>(() => new QualityDriftDetector(new QualityDriftOptions { WarningZ = 3, CriticalZ = 2 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_NotAFiniteNumber_Throws()
    {
        var detector = new QualityDriftDetector();

        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Add(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Add(double.PositiveInfinity));
        Assert.Equal(0, detector.State().ReferenceCount);
    }

    [Fact]
    public void PinReference_Invalid_Throws()
    {
        var detector = new QualityDriftDetector();

        Assert.Throws<ArgumentException>(() => detector.PinReference(new QualityReference(1, 4, 1)));
        Assert.Throws<ArgumentException>(() => detector.PinReference(new QualityReference(100, double.NaN, 1)));
        Assert.Throws<ArgumentException>(() => detector.PinReference(new QualityReference(100, 4, -1)));
    }
}
