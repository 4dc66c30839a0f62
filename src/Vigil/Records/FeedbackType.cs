using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>The kinds of user signal (seed §5).</summary>
[JsonConverter(typeof(WireNameJsonConverter<FeedbackType>))]
public enum FeedbackType
{
    /// <summary>👍 (1) or 👎 (0).</summary>
    Thumbs,
    /// <summary>1–5 star rating.</summary>
    Rating,
    /// <summary>Customer satisfaction survey, 1–5.</summary>
    Csat,
    /// <summary>Net promoter score survey, 0–10.</summary>
    Nps,
    /// <summary>Free text.</summary>
    Text,
}
