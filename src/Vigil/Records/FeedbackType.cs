using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>The kinds of user signal (seed §5).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeedbackType>))]
public enum FeedbackType
{
    /// <summary>👍 (1) or 👎 (0).</summary>
    [JsonStringEnumMemberName("thumbs")] Thumbs,
    /// <summary>1–5 star rating.</summary>
    [JsonStringEnumMemberName("rating")] Rating,
    /// <summary>Customer satisfaction survey, 1–5.</summary>
    [JsonStringEnumMemberName("csat")] Csat,
    /// <summary>Net promoter score survey, 0–10.</summary>
    [JsonStringEnumMemberName("nps")] Nps,
    /// <summary>Free text.</summary>
    [JsonStringEnumMemberName("text")] Text,
}
