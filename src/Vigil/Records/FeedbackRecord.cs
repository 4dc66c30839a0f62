using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>One user signal, usually tied to an interaction (<c>contract/feedback.schema.json</c>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FeedbackRecord
{
    /// <summary>The interaction this is about; required for thumbs and rating.</summary>
    public string? TraceId { get; init; }

    /// <summary>Who gave it.</summary>
    public string? UserId { get; init; }

    /// <summary>The feature it is about.</summary>
    public string Feature { get => field ?? "default"; init; }

    /// <summary>The kind of signal.</summary>
    public required FeedbackType Type { get; init; }

    /// <summary>thumbs: 1 up / 0 down; rating and csat: 1–5; nps: 0–10; text: absent.</summary>
    public double? Value { get; init; }

    /// <summary>Free text; required for type text.</summary>
    public string? Comment { get; init; }

    /// <summary>When it was given; defaults to when it was received.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
