using System.Globalization;
using System.Text.Json.Nodes;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>Contract records as JSON, as an app would post them; tests change fields through the indexer.</summary>
public static class TestRecords
{
    /// <summary>A unique trace_id.</summary>
    public static string NewTraceId(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>An RFC 3339 UTC timestamp.</summary>
    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A valid successful interaction a minute ago (inside the collector's window).</summary>
    public static JsonObject Interaction(string? traceId = null, string model = "gpt-4.1-mini", double latencyMs = 100, DateTimeOffset? timestamp = null) => new()
    {
        ["trace_id"] = traceId ?? NewTraceId(),
        ["timestamp"] = Rfc3339(timestamp ?? DateTimeOffset.UtcNow.AddMinutes(-1)),
        ["model"] = model,
        ["status"] = "success",
        ["latency_ms"] = latencyMs,
    };

    /// <summary>A valid feedback (no timestamp: the collector stamps it on receipt).</summary>
    public static JsonObject Feedback(string? traceId, string type, double? value, string? comment = null)
    {
        var feedback = new JsonObject { ["type"] = type };
        if (traceId is not null)
        {
            feedback["trace_id"] = traceId;
        }

        if (value is { } v)
        {
            feedback["value"] = v;
        }

        if (comment is not null)
        {
            feedback["comment"] = comment;
        }

        return feedback;
    }

    /// <summary>The record as parsed from its JSON text, so any number reads back as any numeric type.</summary>
    public static JsonObject Reparse(JsonObject record) => JsonNode.Parse(record.ToJsonString())!.AsObject();

    /// <summary>The batch body <c>{"interactions": [..]}</c>.</summary>
    public static JsonObject InteractionBatch(IEnumerable<JsonObject> records) => new() { ["interactions"] = new JsonArray([.. records.Select(r => r.DeepClone())]) };

    /// <summary>The batch body <c>{"feedback": [..]}</c>.</summary>
    public static JsonObject FeedbackBatch(IEnumerable<JsonObject> records) => new() { ["feedback"] = new JsonArray([.. records.Select(r => r.DeepClone())]) };
}
