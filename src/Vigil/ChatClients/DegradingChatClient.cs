using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Vigil.Incidents;
using Vigil.Records;

namespace Vigil.ChatClients;

/// <summary>
/// Answers every call the way the current <see cref="DegradationMode"/> says (seed §9): <c>normal</c> passes through
/// (and writes the answer to the response cache); <c>fallback_model</c> asks <see cref="FallbackClient"/>, else the inner
/// client with <see cref="DegradationOptions.FallbackModelId"/>; <c>cached_only</c> answers from the cache, a miss with the
/// static reply; <c>static_response</c> answers with the static reply of the call's language; <c>disabled</c> throws
/// <see cref="ChatDisabledException"/>. Every degraded answer carries <see cref="VigilChatOptions.DegradationKey"/> with
/// its <see cref="Degradation"/> in its additional properties (each update's, streaming), so a <c>UseVigil()</c> placed
/// outside records it. The mode is read once per call.
/// </summary>
public sealed class DegradingChatClient : DelegatingChatClient
{
    private readonly IDegradationModeSource _modes;
    private readonly ResponseCache _cache;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The primary client.</param>
    /// <param name="modes">Where the mode comes from (an <see cref="IncidentResponder"/>, a <see cref="FixedDegradationModeSource"/>).</param>
    /// <param name="options">Static replies, fallback model id; null: the defaults.</param>
    /// <param name="fallbackClient">The client that answers under <c>fallback_model</c>; null: <see cref="DegradationOptions.FallbackModelId"/>.</param>
    /// <param name="cache">The response cache; null: an in-memory <see cref="MemoryDistributedCache"/>.</param>
    public DegradingChatClient(IChatClient innerClient, IDegradationModeSource modes, DegradationOptions? options = null,
        IChatClient? fallbackClient = null, IDistributedCache? cache = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(modes);
        _modes = modes;
        Options = options ?? new DegradationOptions();
        FallbackClient = fallbackClient;
        _cache = new ResponseCache(cache ?? new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions())));
    }

    /// <summary>The options in force.</summary>
    public DegradationOptions Options { get; }

    /// <summary>The client that answers under <c>fallback_model</c>; null: the inner client with <see cref="DegradationOptions.FallbackModelId"/>.</summary>
    public IChatClient? FallbackClient { get; set; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        switch (_modes.Mode)
        {
            case DegradationMode.Normal:
                var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                if (Options.WriteThrough)
                {
                    await _cache.WriteAsync(_cache.KeyOf(messages, options), response, cancellationToken).ConfigureAwait(false);
                }

                return response;

            case DegradationMode.FallbackModel when FallbackClient is { } fallback:
                try
                {
                    return Mark(await fallback.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false), Degradation.ModelFallback);
                }
                catch (Exception ex) when (DegradedFailure.Mark(ex, Degradation.ModelFallback, ModelOf(fallback, options)))
                {
                    throw; // never reached: the filter marks the exception and lets it pass
                }

            case DegradationMode.FallbackModel when Options.FallbackModelId is { Length: > 0 } model:
                try
                {
                    return Mark(await base.GetResponseAsync(messages, WithModel(options, model), cancellationToken).ConfigureAwait(false), Degradation.ModelFallback);
                }
                catch (Exception ex) when (DegradedFailure.Mark(ex, Degradation.ModelFallback, model))
                {
                    throw;
                }

            case DegradationMode.CachedOnly:
                var cached = await _cache.ReadAsync(_cache.KeyOf(messages, options), cancellationToken).ConfigureAwait(false);
                return cached is not null ? Mark(cached, Degradation.CacheFallback) : StaticResponse(options);

            case DegradationMode.Disabled:
                throw new ChatDisabledException();

            default: // static_response, and fallback_model with nothing to fall back to
                return StaticResponse(options);
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _modes.Mode switch
        {
            DegradationMode.Normal when Options.WriteThrough => StreamWritingThroughAsync(messages, options, cancellationToken),
            DegradationMode.Normal => base.GetStreamingResponseAsync(messages, options, cancellationToken),
            DegradationMode.FallbackModel when FallbackClient is { } fallback =>
                MarkAsync(fallback.GetStreamingResponseAsync(messages, options, cancellationToken), Degradation.ModelFallback, ModelOf(fallback, options), cancellationToken),
            DegradationMode.FallbackModel when Options.FallbackModelId is { Length: > 0 } model =>
                MarkAsync(base.GetStreamingResponseAsync(messages, WithModel(options, model), cancellationToken), Degradation.ModelFallback, model, cancellationToken),
            DegradationMode.CachedOnly => StreamFromCacheAsync(messages, options, cancellationToken),
            DegradationMode.Disabled => DisabledAsync(),
            _ => StreamStaticAsync(options),
        };
    }

    private static ChatOptions WithModel(ChatOptions? options, string model)
    {
        var clone = options?.Clone() ?? new ChatOptions();
        clone.ModelId = model;
        return clone;
    }

    private static ChatResponse Mark(ChatResponse response, Degradation degradation)
    {
        (response.AdditionalProperties ??= [])[VigilChatOptions.DegradationKey] = DegradationLabels.Of(degradation);
        return response;
    }

    private static ChatResponseUpdate Mark(ChatResponseUpdate update, Degradation degradation)
    {
        (update.AdditionalProperties ??= [])[VigilChatOptions.DegradationKey] = DegradationLabels.Of(degradation);
        return update;
    }

    private static string? ModelOf(IChatClient client, ChatOptions? options) =>
        options?.ModelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId;

    private static async IAsyncEnumerable<ChatResponseUpdate> MarkAsync(IAsyncEnumerable<ChatResponseUpdate> updates, Degradation degradation, string? model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex) when (DegradedFailure.Mark(ex, degradation, model))
                {
                    throw;
                }

                yield return Mark(update, degradation);
            }
        }
    }

    private ChatResponse StaticResponse(ChatOptions? options)
    {
        var language = options?.AdditionalProperties?.TryGetValue(DegradationOptions.LanguageKey, out var value) == true ? value?.ToString() : null;
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, Options.StaticResponseFor(language)))
        {
            FinishReason = ChatFinishReason.Stop,
        };
        return Mark(response, Degradation.DefaultResponse);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> DisabledAsync()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        throw new ChatDisabledException(); // on the first MoveNextAsync, where streaming callers expect a failed call
#pragma warning disable CS0162 // an iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamStaticAsync(ChatOptions? options)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var update in StaticResponse(options).ToChatResponseUpdates())
        {
            yield return Mark(update, Degradation.DefaultResponse);
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamFromCacheAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cached = await _cache.ReadAsync(_cache.KeyOf(messages, options), cancellationToken).ConfigureAwait(false);
        var (response, degradation) = cached is not null ? (cached, Degradation.CacheFallback) : (StaticResponse(options), Degradation.DefaultResponse);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return Mark(update, degradation);
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamWritingThroughAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = _cache.KeyOf(messages, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        await _cache.WriteAsync(key, updates.ToChatResponse(), cancellationToken).ConfigureAwait(false);
    }
}
