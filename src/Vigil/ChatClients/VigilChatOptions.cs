using Microsoft.Extensions.AI;

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
