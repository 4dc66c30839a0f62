using System.Text.Json.Serialization;

namespace Vigil.Evaluation.Calibration;

/// <summary>Which agreement of the 1–5 scores is held to the target; written <c>exact</c> or <c>within_one</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgreementMeasure>))]
public enum AgreementMeasure
{
    /// <summary>The same (rounded) score.</summary>
    [JsonStringEnumMemberName("exact")]
    Exact,

    /// <summary>Scores at most one point apart.</summary>
    [JsonStringEnumMemberName("within_one")]
    WithinOne,
}
