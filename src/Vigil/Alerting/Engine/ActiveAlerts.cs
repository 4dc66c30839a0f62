using Vigil.Reports;

namespace Vigil.Alerting.Engine;

/// <summary>
/// Every registered <see cref="IActiveAlertSource"/>'s alerts together, sorted by severity (critical first), then name
/// and <c>since</c>: the report's <c>alerts</c> (as an <see cref="IReportContributor"/>) and <c>GET /v1/alerts</c>.
/// </summary>
public sealed class ActiveAlerts(IEnumerable<IActiveAlertSource> sources) : IReportContributor
{
    private readonly IActiveAlertSource[] _sources = [.. sources ?? throw new ArgumentNullException(nameof(sources))];

    /// <summary>The alerts pending or firing now, of every source.</summary>
    public IReadOnlyList<AlertFigures> All() =>
        [.. _sources.SelectMany(s => s.Active)
            .OrderBy(a => SeverityRank(a.Severity))
            .ThenBy(a => a.Name, StringComparer.Ordinal)
            .ThenBy(a => a.Since)];

    /// <inheritdoc/>
    public HealthReport AddTo(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with { Alerts = All() };
    }

    private static int SeverityRank(string severity) =>
        Enum.GetValues<AlertSeverity>().FirstOrDefault(s => s.ToLabel() == severity, (AlertSeverity)int.MaxValue) switch
        {
            (AlertSeverity)int.MaxValue => int.MaxValue,
            var s => (int)s,
        };
}
