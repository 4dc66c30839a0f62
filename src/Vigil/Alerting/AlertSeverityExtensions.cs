namespace Vigil.Alerting;

/// <summary>The label value and priority name of an <see cref="AlertSeverity"/>.</summary>
public static class AlertSeverityExtensions
{
    /// <summary>The <c>severity</c> label value: <c>critical</c>, <c>high</c>, <c>warning</c> or <c>info</c>.</summary>
    public static string ToLabel(this AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "critical",
        AlertSeverity.High => "high",
        AlertSeverity.Warning => "warning",
        AlertSeverity.Info => "info",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown severity."),
    };

    /// <summary>The seed's priority: <c>P0</c> (critical) to <c>P3</c> (info).</summary>
    public static string ToPriority(this AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "P0",
        AlertSeverity.High => "P1",
        AlertSeverity.Warning => "P2",
        AlertSeverity.Info => "P3",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown severity."),
    };
}
