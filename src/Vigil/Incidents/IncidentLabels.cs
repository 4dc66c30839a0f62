using Vigil.Records;

namespace Vigil.Incidents;

/// <summary>The wire names of the incident enums (the contract's and the seed's), and what a mode records.</summary>
public static class IncidentLabels
{
    /// <summary>The contract name of <paramref name="mode"/>: <c>normal</c>, <c>fallback_model</c>, <c>cached_only</c>, <c>static_response</c>, <c>disabled</c>.</summary>
    public static string Of(DegradationMode mode) => mode switch
    {
        DegradationMode.Normal => "normal",
        DegradationMode.CachedOnly => "cached_only",
        DegradationMode.FallbackModel => "fallback_model",
        DegradationMode.StaticResponse => "static_response",
        DegradationMode.Disabled => "disabled",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a degradation mode."),
    };

    /// <summary>The seed's name of <paramref name="severity"/>: <c>critical</c>, <c>high</c>, <c>medium</c>, <c>low</c>.</summary>
    public static string Of(IncidentSeverity severity) => severity switch
    {
        IncidentSeverity.P0 => "critical",
        IncidentSeverity.P1 => "high",
        IncidentSeverity.P2 => "medium",
        IncidentSeverity.P3 => "low",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Not a severity."),
    };

    /// <summary>The log name of <paramref name="action"/>: <c>escalate</c>, <c>recover</c>, <c>override</c>.</summary>
    public static string Of(IncidentAction action) => action switch
    {
        IncidentAction.Escalate => "escalate",
        IncidentAction.Recover => "recover",
        IncidentAction.Override => "override",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not an incident action."),
    };

    /// <summary>The mode named <paramref name="value"/> (contract name, case-insensitive).</summary>
    public static bool TryParse(string? value, out DegradationMode mode)
    {
        foreach (var candidate in Enum.GetValues<DegradationMode>())
        {
            if (string.Equals(Of(candidate), value, StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = DegradationMode.Normal;
        return false;
    }

    /// <summary>
    /// What an interaction answered under <paramref name="mode"/> records in <c>degradation</c>:
    /// <c>fallback_model</c> → <c>model_fallback</c>, <c>cached_only</c> → <c>cache_fallback</c>,
    /// <c>static_response</c> and <c>disabled</c> → <c>default_response</c>, <c>normal</c> → <c>none</c>.
    /// </summary>
    public static Degradation DegradationOf(DegradationMode mode) => mode switch
    {
        DegradationMode.FallbackModel => Degradation.ModelFallback,
        DegradationMode.CachedOnly => Degradation.CacheFallback,
        DegradationMode.StaticResponse or DegradationMode.Disabled => Degradation.DefaultResponse,
        _ => Degradation.None,
    };

    /// <summary>The severity of an incident that calls for <paramref name="mode"/>; null for <see cref="DegradationMode.Normal"/>.</summary>
    public static IncidentSeverity? SeverityOf(DegradationMode mode) => mode switch
    {
        DegradationMode.StaticResponse or DegradationMode.Disabled => IncidentSeverity.P0,
        DegradationMode.FallbackModel => IncidentSeverity.P1,
        DegradationMode.CachedOnly => IncidentSeverity.P2,
        _ => null,
    };
}
