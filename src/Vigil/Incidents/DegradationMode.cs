namespace Vigil.Incidents;

/// <summary>
/// How calls are answered while an incident lasts (seed §9, contract "Alerts and incidents"), in order of
/// severity: a higher value is a deeper degradation.
/// </summary>
public enum DegradationMode
{
    /// <summary>The primary model answers (<c>normal</c>).</summary>
    Normal = 0,
    /// <summary>Answers come from the response cache only (<c>cached_only</c>, P2).</summary>
    CachedOnly = 1,
    /// <summary>A fallback model answers (<c>fallback_model</c>, P1).</summary>
    FallbackModel = 2,
    /// <summary>A preset reply answers (<c>static_response</c>, P0).</summary>
    StaticResponse = 3,
    /// <summary>Calls are refused (<c>disabled</c>).</summary>
    Disabled = 4,
}
