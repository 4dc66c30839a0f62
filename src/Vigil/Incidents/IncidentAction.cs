namespace Vigil.Incidents;

/// <summary>What an incident log entry records.</summary>
public enum IncidentAction
{
    /// <summary>The responder moved to a deeper degradation (<c>escalate</c>).</summary>
    Escalate,
    /// <summary>The responder stepped down after the hold period (<c>recover</c>).</summary>
    Recover,
    /// <summary>An operator set or released a manual mode (<c>override</c>).</summary>
    Override,
}
