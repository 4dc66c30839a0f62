namespace Vigil.Incidents;

/// <summary>An incident's severity (seed §9): P0 is the worst.</summary>
public enum IncidentSeverity
{
    /// <summary>Critical: success rate or hallucination rate far off (<c>critical</c>).</summary>
    P0 = 0,
    /// <summary>High risk (<c>high</c>).</summary>
    P1 = 1,
    /// <summary>Medium risk (<c>medium</c>).</summary>
    P2 = 2,
    /// <summary>Low (<c>low</c>).</summary>
    P3 = 3,
}
