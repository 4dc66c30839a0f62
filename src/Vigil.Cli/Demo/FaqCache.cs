using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Records;

namespace Vigil.Cli.Demo;

/// <summary>
/// The support agent's response cache for questions asked word for word: a hit answers without the model, a miss asks
/// it and keeps a good answer for <see cref="TimeToLive"/>. It sits inside <c>UseVigil()</c> and marks each answer with
/// <see cref="VigilChatOptions.CacheKey"/>, so hits and misses are recorded (<c>llm_cache_hits_total</c>, the report's
/// <c>cache</c>). Bounded: at most <see cref="MaxEntries"/> answers.
/// </summary>
internal sealed class FaqCache(IChatClient inner, TimeProvider time) : DelegatingChatClient(inner)
{
    /// <summary>How long an answer is kept.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(15);

    /// <summary>Answers kept at most.</summary>
    public const int MaxEntries = 1000;

    private readonly ConcurrentDictionary<string, (string Text, string? Model, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var key = Key(messages);
        if (Lookup(key) is { } cached)
        {
            return Mark(new ChatResponse(new ChatMessage(ChatRole.Assistant, cached.Text)) { ModelId = cached.Model }, CacheOutcome.Hit);
        }

        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        Keep(key, response.Text, response.ModelId, response.AdditionalProperties);
        return Mark(response, CacheOutcome.Miss);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var key = Key(messages);
        if (Lookup(key) is { } cached)
        {
            yield return Mark(new ChatResponseUpdate(ChatRole.Assistant, cached.Text) { ModelId = cached.Model, FinishReason = ChatFinishReason.Stop }, CacheOutcome.Hit);
            yield break;
        }

        var text = new System.Text.StringBuilder();
        string? model = null;
        AdditionalPropertiesDictionary? properties = null;
        var first = true;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            model ??= update.ModelId;
            properties ??= update.AdditionalProperties;
            yield return first ? Mark(update, CacheOutcome.Miss) : update;
            first = false;
        }

        Keep(key, text.ToString(), model, properties);
    }

    private (string Text, string? Model)? Lookup(string? key)
    {
        if (key is not null && _answers.TryGetValue(key, out var entry))
        {
            if (entry.Until > time.GetUtcNow())
            {
                return (entry.Text, entry.Model);
            }

            _answers.TryRemove(key, out _);
        }

        return null;
    }

    private void Keep(string? key, string text, string? model, AdditionalPropertiesDictionary? properties)
    {
        // Only a full answer of the model itself: not an empty one, nor a degraded one (a fallback's or a static reply).
        if (key is null || text.Length < 20 || properties?.ContainsKey(VigilChatOptions.DegradationKey) == true)
        {
            return;
        }

        if (_answers.Count >= MaxEntries)
        {
            var now = time.GetUtcNow();
            foreach (var stale in _answers.Where(a => a.Value.Until <= now).Select(a => a.Key).ToList())
            {
                _answers.TryRemove(stale, out _);
            }

            if (_answers.Count >= MaxEntries)
            {
                return;
            }
        }

        _answers[key] = (text, model, time.GetUtcNow() + TimeToLive);
    }

    private static string? Key(IEnumerable<ChatMessage> messages) =>
        messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text is { Length: > 0 } question ? question.Trim().ToLowerInvariant() : null;

    private static ChatResponse Mark(ChatResponse response, CacheOutcome outcome)
    {
        var properties = response.AdditionalProperties ??= [];
        properties[VigilChatOptions.CacheKey] = outcome;
        properties[VigilChatOptions.CacheTypeKey] = CacheType.Exact;
        return response;
    }

    private static ChatResponseUpdate Mark(ChatResponseUpdate update, CacheOutcome outcome)
    {
        var properties = update.AdditionalProperties ??= [];
        properties[VigilChatOptions.CacheKey] = outcome;
        properties[VigilChatOptions.CacheTypeKey] = CacheType.Exact;
        return update;
    }
}
