using System.Text.Json.Serialization;

namespace Vigil.Evaluation.Quality;

/// <summary>Which way the detection mean moved from the reference; written <c>degrading</c>, <c>improving</c>, <c>none</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QualityDriftDirection>))]
public enum QualityDriftDirection
{
    /// <summary>Not moved (z = 0), or no z-score yet.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Scores went down (z &lt; 0).</summary>
    [JsonStringEnumMemberName("degrading")]
    Degrading,

    /// <summary>Scores went up (z &gt; 0).</summary>
    [JsonStringEnumMemberName("improving")]
    Improving,
}
