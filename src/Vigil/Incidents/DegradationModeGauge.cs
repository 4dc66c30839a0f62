using Vigil.Metrics;

namespace Vigil.Incidents;

/// <summary>
/// The <c>llm_degradation_mode</c> gauge on the <c>Vigil</c> meter: the mode in force, by depth (the
/// <see cref="DegradationMode"/> number: 0 normal, 1 cached_only, 2 fallback_model, 3 static_response, 4 disabled).
/// </summary>
public sealed class DegradationModeGauge
{
    /// <summary>Creates the gauge, read from <paramref name="modes"/> whenever metrics are collected.</summary>
    public DegradationModeGauge(VigilMetrics metrics, IDegradationModeSource modes)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(modes);
        metrics.Meter.CreateObservableGauge(MetricNames.DegradationMode, () => (long)modes.Mode,
            description: "The degradation mode in force, by depth: 0 normal, 1 cached_only, 2 fallback_model, 3 static_response, 4 disabled.");
    }
}
