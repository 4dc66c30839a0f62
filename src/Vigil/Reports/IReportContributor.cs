namespace Vigil.Reports;

/// <summary>
/// Adds a watch's current state to a health report: the embedding drift watch its <c>drift</c> entries, the alert
/// engine the <c>alerts</c>, the incident responder the <c>incident</c>. Both hosts apply every registered contributor
/// (<see cref="ReportContributors"/>) to the reports they give, the collector's <c>GET /v1/report</c> and
/// <c>VigilMonitor.GetReport()</c>.
/// </summary>
public interface IReportContributor
{
    /// <summary>The report with this contributor's part added.</summary>
    HealthReport AddTo(HealthReport report);
}
