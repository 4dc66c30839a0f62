using Vigil.Alerting;

namespace Vigil.Tests.Alerting;

public sealed class AlertSeverityExtensionsTests
{
    [Theory]
    [InlineData(AlertSeverity.Critical, "critical", "P0")]
    [InlineData(AlertSeverity.High, "high", "P1")]
    [InlineData(AlertSeverity.Warning, "warning", "P2")]
    [InlineData(AlertSeverity.Info, "info", "P3")]
    public void ToLabel_EachSeverity_IsTheContractsLabelAndTheSeedsPriority(AlertSeverity severity, string label, string priority)
    {
        Assert.Equal(label, severity.ToLabel());
        Assert.Equal(priority, severity.ToPriority());
    }
}
