namespace Vigil.Records;

/// <summary>
/// The wire names of the records' enums, one table each (the contract's <c>enum</c>s in
/// <c>interaction.schema.json</c> and <c>feedback.schema.json</c>, and the seed's metric labels).
/// </summary>
internal static class WireNames
{
    /// <summary><see cref="InteractionStatus"/>: <c>status</c>.</summary>
    public static EnumWireNames<InteractionStatus> Status { get; } = new("success", "error");

    /// <summary><see cref="Records.ErrorType"/>: <c>error_type</c>.</summary>
    public static EnumWireNames<ErrorType> ErrorType { get; } = new(
        "rate_limit", "auth_failure", "context_overflow", "server_error", "timeout",
        "refusal", "empty_response", "format_error", "safety_filter", "tool_failure", "low_quality");

    /// <summary><see cref="Records.Degradation"/>: <c>degradation</c>.</summary>
    public static EnumWireNames<Degradation> Degradation { get; } = new("none", "model_fallback", "cache_fallback", "default_response");

    /// <summary><see cref="CacheOutcome"/>: <c>cache</c>.</summary>
    public static EnumWireNames<CacheOutcome> Cache { get; } = new("hit", "miss");

    /// <summary><see cref="Records.CacheType"/>: <c>cache_type</c>.</summary>
    public static EnumWireNames<CacheType> CacheType { get; } = new("exact", "semantic", "prompt");

    /// <summary><see cref="Records.FeedbackType"/>: a feedback's <c>type</c>.</summary>
    public static EnumWireNames<FeedbackType> FeedbackType { get; } = new("thumbs", "rating", "csat", "nps", "text");

    /// <summary>The table of <typeparamref name="TEnum"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="TEnum"/> has no table here.</exception>
    public static EnumWireNames<TEnum> For<TEnum>()
        where TEnum : struct, Enum =>
        (object?)(typeof(TEnum) == typeof(InteractionStatus) ? Status
            : typeof(TEnum) == typeof(Records.ErrorType) ? ErrorType
            : typeof(TEnum) == typeof(Records.Degradation) ? Degradation
            : typeof(TEnum) == typeof(CacheOutcome) ? Cache
            : typeof(TEnum) == typeof(Records.CacheType) ? CacheType
            : typeof(TEnum) == typeof(Records.FeedbackType) ? FeedbackType
            : null) as EnumWireNames<TEnum> ?? throw new NotSupportedException($"{typeof(TEnum).Name} has no wire names.");
}
