using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>
/// One finished LLM call or agent turn (<c>contract/interaction.schema.json</c>).
/// Serialized in snake_case through <see cref="VigilJsonContext"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record InteractionRecord
{
    /// <summary>Unique per interaction; a repeated id replaces the earlier record.</summary>
    public required string TraceId { get; init; }

    /// <summary>When the call started.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The model asked for.</summary>
    public required string Model { get; init; }

    /// <summary>The provider, e.g. <c>openai</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>The seed's endpoint/feature label.</summary>
    public string Feature { get => field ?? "default"; init; }

    /// <summary>Stored and aggregated, never a metric label.</summary>
    public string? UserId { get; init; }

    /// <summary>The user's tier, e.g. <c>free</c> or <c>pro</c>.</summary>
    public string UserTier { get => field ?? "free"; init; }

    /// <summary>Success, or a hard error.</summary>
    public required InteractionStatus Status { get; init; }

    /// <summary>The error category, hard or soft; absent when there is none.</summary>
    public ErrorType? ErrorType { get; init; }

    /// <summary>The provider's HTTP status, when known.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>How the answer was produced during an incident.</summary>
    public Degradation Degradation { get; init; } = Degradation.None;

    /// <summary>End-to-end latency in milliseconds.</summary>
    public required double LatencyMs { get; init; }

    /// <summary>Time to first token in milliseconds (streaming calls only).</summary>
    public double? TtftMs { get; init; }

    /// <summary>Prompt tokens, cached ones included.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Completion tokens.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Part of <see cref="InputTokens"/> served from the provider's prompt cache.</summary>
    public long? CachedTokens { get; init; }

    /// <summary>Cost in USD; computed from the price catalog when absent.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Response cache outcome, if the app has one.</summary>
    public CacheOutcome? Cache { get; init; }

    /// <summary>The kind of response cache.</summary>
    public CacheType? CacheType { get; init; }

    /// <summary>The user's query (only when content capture is on).</summary>
    public string? Query { get; init; }

    /// <summary>The model's answer (only when content capture is on).</summary>
    public string? Response { get; init; }

    /// <summary>Retrieved context the judge checks faithfulness against.</summary>
    public string? Context { get; init; }

    /// <summary>Query embedding for drift detection.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A JSON record field.")]
    public float[]? Embedding { get; init; }

    /// <summary>Free string attributes, at most 32.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>True when the interaction carries neither a hard nor a soft error.</summary>
    [JsonIgnore]
    public bool IsGood => Status == InteractionStatus.Success && ErrorType is null;
}
