using System.Text.Json.Serialization;

namespace Vigil.Evaluation.Calibration;

/// <summary>How a dimension fared against the target; written <c>pass</c>, <c>fail</c> or <c>no_labels</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CalibrationResult>))]
public enum CalibrationResult
{
    /// <summary>No matched pair has a human label for it.</summary>
    [JsonStringEnumMemberName("no_labels")]
    NoLabels,

    /// <summary>Meets the target.</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>Misses the target; the reasons say how.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
}
