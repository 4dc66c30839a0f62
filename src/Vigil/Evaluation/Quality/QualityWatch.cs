using Vigil.Metrics;
using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Evaluation.Quality;

/// <summary>
/// Quality drift per rubric dimension and the hallucination rate of the last verdicts (seed §6), fed by every verdict
/// in time order, exported as <c>llm_drift_score{drift_type="quality_…"}</c> when given the instruments, and shown in
/// the report as <c>drift.quality_&lt;dimension&gt;</c> and <c>quality.recent_hallucinations</c>. Thread-safe.
/// </summary>
public sealed class QualityWatch
{
    private readonly QualityDriftMonitor _drift;
    private readonly HallucinationRateMonitor _hallucinations;

    /// <summary>Creates the watch.</summary>
    /// <param name="options">The drift detectors' windows and test; defaults when null.</param>
    /// <param name="metrics">Where the drift gauge goes; none when null.</param>
    /// <param name="hallucinationWindow">Verdicts the hallucination rate is taken over (the seed's 500).</param>
    public QualityWatch(QualityDriftOptions? options = null, VigilMetrics? metrics = null, int hallucinationWindow = HallucinationRateMonitor.DefaultWindowSize)
    {
        _drift = new QualityDriftMonitor("default", options, metrics);
        _hallucinations = new HallucinationRateMonitor(hallucinationWindow);
    }

    /// <summary>The drift detectors.</summary>
    public QualityDriftMonitor Drift => _drift;

    /// <summary>Adds a verdict; one with a score outside 1..5 is skipped (false).</summary>
    public bool Add(EvaluationRecord evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        try
        {
            _drift.Add(evaluation);
        }
        catch (ArgumentException)
        {
            return false;
        }

        _hallucinations.Record(evaluation);
        return true;
    }

    /// <summary>The drift detectors' state, as the report shows it.</summary>
    public DriftFigures Describe(DriftFigures? into = null)
    {
        var states = _drift.States();
        QualityDriftFigures? Of(QualityDimension dimension) =>
            states.TryGetValue(dimension, out var state) ? QualityDriftFigures.Of(state) : null;
        return (into ?? DriftFigures.None) with
        {
            QualityRelevance = Of(QualityDimension.Relevance),
            QualityCoherence = Of(QualityDimension.Coherence),
            QualityFaithfulness = Of(QualityDimension.Faithfulness),
            QualitySafety = Of(QualityDimension.Safety),
            QualityOverall = Of(QualityDimension.Overall),
        };
    }

    /// <summary><paramref name="report"/> with this watch's drift and recent hallucination rate in it.</summary>
    public HealthReport AddTo(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with
        {
            Drift = Describe(report.Drift),
            Quality = report.Quality with { RecentHallucinations = RecentHallucinations() },
        };
    }

    /// <summary>The hallucination rate of the last verdicts.</summary>
    public HallucinationFigures RecentHallucinations() =>
        HallucinationFigures.Of(_hallucinations.Current(), _hallucinations.WindowSize);
}
