using Vigil.Reports;

namespace Vigil.Alerting;

/// <summary>
/// Something that knows which alerts are pending or firing now: Vigil's own engine, and the alerts received from a
/// team's Alertmanager. <c>GET /v1/alerts</c> and the report's <c>alerts</c> list those of every registered source.
/// </summary>
public interface IActiveAlertSource
{
    /// <summary>The alerts pending or firing now.</summary>
    IReadOnlyList<AlertFigures> Active { get; }
}
