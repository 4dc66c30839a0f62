using Microsoft.Extensions.AI;
using Vigil.Records;

namespace Vigil.ChatClients;

/// <summary>
/// How a caller tells Vigil what a call is for. The values travel in
/// <see cref="ChatOptions.AdditionalProperties"/> under the <c>vigil.*</c> keys; providers ignore them.
/// </summary>
/// <example>
/// <code>
/// var options = new ChatOptions().WithVigil(feature: "customer_service", userTier: "pro", userId: "u-42");
/// </code>
/// </example>
public static class VigilChatOptions
{
    /// <summary>The feature (the seed's endpoint label).</summary>
    public const string FeatureKey = "vigil.feature";
    /// <summary>The user's tier.</summary>
    public const string UserTierKey = "vigil.user_tier";
    /// <summary>The user's id: stored in records, never a metric label.</summary>
    public const string UserIdKey = "vigil.user_id";
    /// <summary>The trace id to record the call under (else the provider's response id).</summary>
    public const string TraceIdKey = "vigil.trace_id";
    /// <summary>Retrieved context for the judge (recorded only when content capture is on).</summary>
    public const string ContextKey = "vigil.context";
    /// <summary>The query's embedding (a <c>float[]</c> or <c>ReadOnlyMemory&lt;float&gt;</c>), recorded for drift detection.</summary>
    public const string EmbeddingKey = "vigil.embedding";
    /// <summary>Free-form attributes of the call (an <c>IReadOnlyDictionary&lt;string, string&gt;</c>), recorded as they are.</summary>
    public const string AttributesKey = "vigil.attributes";
    /// <summary>
    /// Set on a response's (or update's) additional properties by a caching client inside <c>UseVigil()</c>: a
    /// <see cref="Vigil.Records.CacheOutcome"/> (or its wire name, <c>hit</c>/<c>miss</c>), recorded as the call's <c>cache</c>.
    /// </summary>
    public const string CacheKey = "vigil.cache";
    /// <summary>Beside <see cref="CacheKey"/>: a <see cref="Vigil.Records.CacheType"/> (or <c>exact</c>/<c>semantic</c>/<c>prompt</c>).</summary>
    public const string CacheTypeKey = "vigil.cache_type";
    /// <summary>Set on a response's additional properties by a degrading client: a <c>Degradation</c> value.</summary>
    public const string DegradationKey = "vigil.degradation";

    /// <summary>Sets the Vigil context of a call; null arguments leave the current value.</summary>
    public static ChatOptions WithVigil(this ChatOptions options, string? feature = null, string? userTier = null,
        string? userId = null, string? traceId = null, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = options.AdditionalProperties ??= [];
        Set(properties, FeatureKey, feature);
        Set(properties, UserTierKey, userTier);
        Set(properties, UserIdKey, userId);
        Set(properties, TraceIdKey, traceId);
        Set(properties, ContextKey, context);
        return options;
    }

    /// <summary>
    /// Sets the query's embedding (the one an app with retrieval computes anyway) and attributes of a call, recorded with
    /// it; null arguments leave the current value.
    /// </summary>
    public static ChatOptions WithVigilRecord(this ChatOptions options, ReadOnlyMemory<float>? embedding = null,
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = options.AdditionalProperties ??= [];
        if (embedding is { } vector)
        {
            properties[EmbeddingKey] = vector;
        }

        if (attributes is not null)
        {
            properties[AttributesKey] = attributes;
        }

        return options;
    }

    internal static float[]? GetEmbedding(ChatOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(EmbeddingKey, out var value)
            ? value switch
            {
                float[] { Length: > 0 } array => array,
                ReadOnlyMemory<float> { Length: > 0 } memory => memory.ToArray(),
                _ => null,
            }
            : null;

    internal static IReadOnlyDictionary<string, string>? GetAttributes(ChatOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(AttributesKey, out var value)
            ? value as IReadOnlyDictionary<string, string>
            : null;

    internal static void ReadCache(AdditionalPropertiesDictionary? properties, ref CacheOutcome? outcome, ref CacheType? type)
    {
        if (properties is null)
        {
            return;
        }

        if (properties.TryGetValue(CacheKey, out var value))
        {
            outcome = value switch
            {
                CacheOutcome given => given,
                string text when WireNames.Cache.TryParse(text, out var parsed) => parsed,
                _ => outcome,
            };
        }

        if (properties.TryGetValue(CacheTypeKey, out var kind))
        {
            type = kind switch
            {
                CacheType given => given,
                string text when WireNames.CacheType.TryParse(text, out var parsed) => parsed,
                _ => type,
            };
        }
    }

    internal static string? Get(ChatOptions? options, string key) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(key, out var value) && value is string text && text.Length > 0
            ? text
            : null;

    private static void Set(AdditionalPropertiesDictionary properties, string key, string? value)
    {
        if (value is not null)
        {
            properties[key] = value;
        }
    }
}
