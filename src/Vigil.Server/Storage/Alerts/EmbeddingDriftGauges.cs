using Vigil.Alerting.Engine;
using Vigil.Metrics;
using Vigil.Reports;
using Vigil.Server.Drift;

namespace Vigil.Server.Storage.Alerts;

/// <summary>
/// <c>embedding_drift_distance{model, metric="cosine"}</c> for the engine: the cosine distance of the embedding drift
/// watch's last round, as its gauge exports it; nothing while the watch is off or has not run a round.
/// </summary>
public sealed class EmbeddingDriftGauges(EmbeddingDriftWatch? watch) : IAlertGaugeSource
{
    /// <inheritdoc/>
    public IEnumerable<GaugeSample> Read()
    {
        if (watch is not { Enabled: true } || watch.Describe(DriftFigures.None).EmbeddingCosine is not { Ready: true, Distance: { } distance })
        {
            return [];
        }

        return [new GaugeSample(MetricNames.EmbeddingDriftDistance, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MetricTags.Model] = EmbeddingDriftWatch.ModelLabel,
            [MetricTags.Metric] = "cosine",
        }, distance)];
    }
}
