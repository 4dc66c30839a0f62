using System.Text.Json.Serialization;

namespace Vigil.Drift;

/// <summary>How bad a drift is; written <c>normal</c>, <c>warning</c>, <c>critical</c> (the contract's values).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DriftSeverity>))]
public enum DriftSeverity
{
    /// <summary>No drift at the chosen level.</summary>
    [JsonStringEnumMemberName("normal")]
    Normal,

    /// <summary>Drift: significant at alpha, or past the warning threshold of a distance.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>Strong drift: significant at alpha/10, or past the critical threshold of a distance.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}
