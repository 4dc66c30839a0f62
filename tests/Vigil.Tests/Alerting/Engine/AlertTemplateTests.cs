using Vigil.Alerting.Engine;

namespace Vigil.Tests.Alerting.Engine;

public sealed class AlertTemplateTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["model"] = "gpt", ["drift_type"] = "quality_overall" };

    [Theory]
    // Prometheus 2.42's output for the same values (humanizePercentage is %.4g of value * 100).
    [InlineData("{{ $value | humanizePercentage }}", 0.0086, "0.86%")]
    [InlineData("{{ $value | humanizePercentage }}", 0.054040404040404, "5.404%")]
    [InlineData("{{ $value | humanizePercentage }}", 0.2, "20%")]
    [InlineData("{{ $value | humanizeDuration }}", 20, "20s")]
    [InlineData("{{ $value | humanizeDuration }}", 75.5, "1m 15s")]
    [InlineData("{{ $value | humanizeDuration }}", 0.25, "250ms")]
    [InlineData("{{ $value | humanizeDuration }}", 90061, "1d 1h 1m 1s")]
    [InlineData("${{ $value | printf \"%.2f\" }}", 1635, "$1635.00")]
    [InlineData("{{ $value | printf \"%.3f\" }} for {{ $labels.model }}", 0.1, "0.100 for gpt")]
    public void Render_CatalogActions_AsPrometheusRendersThem(string template, double value, string expected)
    {
        Assert.Equal(expected, AlertTemplate.Render(template, value, Labels));
    }

    [Theory]
    [InlineData(12345.678, "1.235e+04")]
    [InlineData(0.00001234, "1.234e-05")]
    [InlineData(0.0001234, "0.0001234")]
    [InlineData(99.99999, "100")]
    public void GoG4_EdgeValues_MatchGosFormat(double value, string expected)
    {
        Assert.Equal(expected, AlertTemplate.GoG4(value));
    }
}
