namespace Vigil.Alerting;

/// <summary>What an <see cref="AlertStateChange"/> announces, as Alertmanager's <c>status</c> says it.</summary>
public enum AlertStatus
{
    /// <summary><c>firing</c>: the condition held for the rule's <c>for</c> duration.</summary>
    Firing,

    /// <summary><c>resolved</c>: a firing alert's condition no longer holds.</summary>
    Resolved,
}
