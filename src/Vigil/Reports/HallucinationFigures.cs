using Vigil.Evaluation.Quality;

namespace Vigil.Reports;

/// <summary>The hallucination rate of the last verdicts (seed §6's <c>HallucinationRateMonitor</c>), by severity.</summary>
public sealed record HallucinationFigures(int Verdicts, int Window, double? Rate, HallucinationSeverityCounts BySeverity)
{
    /// <summary>The figures of a monitor's current rate over a window of <paramref name="window"/> verdicts.</summary>
    public static HallucinationFigures Of(HallucinationRate rate, int window)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return new(rate.Total, window, rate.Rate, new HallucinationSeverityCounts(rate.Low, rate.Medium, rate.High));
    }
}
