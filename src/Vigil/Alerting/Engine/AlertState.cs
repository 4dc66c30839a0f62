namespace Vigil.Alerting.Engine;

/// <summary>The state of one alert series in the engine, as Prometheus's.</summary>
public enum AlertState
{
    /// <summary>The condition holds, not yet for the rule's <c>for</c>.</summary>
    Pending,

    /// <summary>The condition has held for the rule's <c>for</c>.</summary>
    Firing,
}
