using Vigil.Evaluation.Quality;
using Vigil.Metrics;

namespace Vigil.Alerting.Engine;

/// <summary>
/// <c>llm_drift_score{model, drift_type="quality_…"}</c> from the quality watch: the |Z| of each rubric dimension
/// that has one, as its gauge exports it.
/// </summary>
public sealed class QualityDriftGauges(QualityWatch quality, string model = "default") : IAlertGaugeSource
{
    /// <inheritdoc/>
    public IEnumerable<GaugeSample> Read()
    {
        foreach (var (dimension, state) in quality.Drift.States())
        {
            if (state.DriftScore is { } score)
            {
                yield return new GaugeSample(MetricNames.DriftScore, new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [MetricTags.Model] = model,
                    [MetricTags.DriftType] = QualityDimensions.DriftType(dimension),
                }, score);
            }
        }
    }
}
