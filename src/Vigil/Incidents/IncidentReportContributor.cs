using Vigil.Reports;

namespace Vigil.Incidents;

/// <summary>Sets a report's <c>incident</c> from the responder's state now (both hosts).</summary>
/// <param name="responder">The responder.</param>
public sealed class IncidentReportContributor(IncidentResponder responder) : IReportContributor
{
    private readonly IncidentResponder _responder = responder ?? throw new ArgumentNullException(nameof(responder));

    /// <inheritdoc />
    public HealthReport AddTo(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with { Incident = _responder.Current };
    }
}
