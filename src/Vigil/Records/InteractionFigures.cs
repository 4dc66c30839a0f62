namespace Vigil.Records;

/// <summary>
/// The figures of one interaction that aggregates are computed from (<see cref="Reports.SignalAggregate"/>): no
/// trace id, texts, embedding or attributes. <c>vigil report</c> reads them straight from a line without making a
/// record; a record is turned into them with <see cref="Of"/>, so both go through one aggregation path.
/// </summary>
public struct InteractionFigures
{
    /// <summary>When the call started.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>The model asked for.</summary>
    public string Model { get; set; }

    /// <summary>The feature label (<c>default</c> when the record has none).</summary>
    public string Feature { get; set; }

    /// <summary>The user's tier (<c>free</c> when the record has none).</summary>
    public string UserTier { get; set; }

    /// <summary>The user, when known.</summary>
    public string? UserId { get; set; }

    /// <summary>Success, or a hard error.</summary>
    public InteractionStatus Status { get; set; }

    /// <summary>The error category, hard or soft.</summary>
    public ErrorType? ErrorType { get; set; }

    /// <summary>The provider's HTTP status.</summary>
    public int? HttpStatus { get; set; }

    /// <summary>How the answer was produced during an incident.</summary>
    public Degradation Degradation { get; set; }

    /// <summary>End-to-end latency in milliseconds.</summary>
    public double LatencyMs { get; set; }

    /// <summary>Time to first token in milliseconds.</summary>
    public double? TtftMs { get; set; }

    /// <summary>Prompt tokens, cached ones included.</summary>
    public long? InputTokens { get; set; }

    /// <summary>Completion tokens.</summary>
    public long? OutputTokens { get; set; }

    /// <summary>Cached prompt tokens.</summary>
    public long? CachedTokens { get; set; }

    /// <summary>Cost in USD.</summary>
    public decimal? CostUsd { get; set; }

    /// <summary>Response cache outcome.</summary>
    public CacheOutcome? Cache { get; set; }

    /// <summary>Which cache answered or missed.</summary>
    public CacheType? CacheType { get; set; }

    /// <summary>The figures of <paramref name="record"/>.</summary>
    public static InteractionFigures Of(InteractionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new InteractionFigures
        {
            Timestamp = record.Timestamp,
            Model = record.Model,
            Feature = record.Feature,
            UserTier = record.UserTier,
            UserId = record.UserId,
            Status = record.Status,
            ErrorType = record.ErrorType,
            HttpStatus = record.HttpStatus,
            Degradation = record.Degradation,
            LatencyMs = record.LatencyMs,
            TtftMs = record.TtftMs,
            InputTokens = record.InputTokens,
            OutputTokens = record.OutputTokens,
            CachedTokens = record.CachedTokens,
            CostUsd = record.CostUsd,
            Cache = record.Cache,
            CacheType = record.CacheType,
        };
    }
}
