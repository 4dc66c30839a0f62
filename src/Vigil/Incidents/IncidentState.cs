namespace Vigil.Incidents;

/// <summary>The responder's state now (<c>GET /v1/incident</c>).</summary>
/// <param name="Mode">The mode in force.</param>
/// <param name="Since">When it was set; null while normal from the start.</param>
/// <param name="Reason">Why; null while normal from the start.</param>
/// <param name="Manual">True while a manual override holds.</param>
public sealed record IncidentState(DegradationMode Mode, DateTimeOffset? Since, string? Reason, bool Manual);
