using System.Text.Json.Serialization;

namespace Vigil.Evaluation.Quality;

/// <summary>How bad a hallucination is: the <c>severity</c> label of <c>llm_hallucination_detected_total</c> (<c>low</c>, <c>medium</c>, <c>high</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HallucinationSeverity>))]
public enum HallucinationSeverity
{
    /// <summary>Faithfulness above 3.</summary>
    [JsonStringEnumMemberName("low")]
    Low,

    /// <summary>Faithfulness above 2, at most 3.</summary>
    [JsonStringEnumMemberName("medium")]
    Medium,

    /// <summary>Faithfulness at most 2.</summary>
    [JsonStringEnumMemberName("high")]
    High,
}
