namespace Vigil.Incidents;

/// <summary>One change of the incident responder's mode.</summary>
/// <param name="Timestamp">When it changed.</param>
/// <param name="Action">Escalation, recovery or a manual override (set or released).</param>
/// <param name="Severity">The incident's severity under the new mode; null when the new mode is normal.</param>
/// <param name="Mode">The mode from then on.</param>
/// <param name="FromMode">The mode before.</param>
/// <param name="Reason">Why: the crossed thresholds with their figures, or the operator's reason.</param>
/// <param name="Manual">True when a manual override holds from then on (false after a release), so a restart can restore it.</param>
public sealed record IncidentLogEntry(
    DateTimeOffset Timestamp,
    IncidentAction Action,
    IncidentSeverity? Severity,
    DegradationMode Mode,
    DegradationMode FromMode,
    string Reason,
    bool Manual = false);
