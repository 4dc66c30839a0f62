using System.Text.Json.Serialization;

namespace Vigil.Drift;

/// <summary>How the per-dimension p-values of the KS drift test are corrected for testing many dimensions at once.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PValueCorrection>))]
public enum PValueCorrection
{
    /// <summary>Bonferroni: p·m, clipped to 1. Controls the family-wise error rate; the default, as in the seed.</summary>
    [JsonStringEnumMemberName("bonferroni")]
    Bonferroni,

    /// <summary>Benjamini–Hochberg step-up adjusted p-values. Controls the false discovery rate; more dimensions flagged.</summary>
    [JsonStringEnumMemberName("benjamini_hochberg")]
    BenjaminiHochberg,
}
