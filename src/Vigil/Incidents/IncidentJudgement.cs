namespace Vigil.Incidents;

/// <summary>What a set of signals calls for on its own, before hysteresis and overrides.</summary>
/// <param name="Mode">The mode the signals call for.</param>
/// <param name="Severity">The incident's severity; null when healthy or not judged.</param>
/// <param name="Reason">Which thresholds were crossed, with the figures (or why nothing was judged).</param>
public sealed record IncidentJudgement(DegradationMode Mode, IncidentSeverity? Severity, string Reason);
