using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Distributed;
using Vigil.Incidents;

namespace Vigil.Server.Gateway;

/// <summary>
/// The incident modes at the gateway (the same modes <c>UseDegradation()</c> applies in-process): the mode in force,
/// the fallback model, the response cache (answers of normal calls, written through, by a hash of the request without
/// its streaming fields) and the well-formed completions of a cached or static reply, as JSON or as an SSE stream.
/// </summary>
internal sealed class GatewayDegradation
{
    private static readonly DistributedCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromHours(24) };

    private readonly IDegradationModeSource? _source;
    private readonly IDistributedCache _cache;
    private readonly TimeProvider _time;

    public GatewayDegradation(IDegradationModeSource? source, DegradationOptions options, IDistributedCache cache, TimeProvider time)
    {
        _source = source;
        Options = options;
        _cache = cache;
        _time = time;
    }

    /// <summary>Static replies, the fallback model, write-through.</summary>
    public DegradationOptions Options { get; }

    /// <summary>The mode in force now (normal without a mode source).</summary>
    public DegradationMode Mode => _source?.Mode ?? DegradationMode.Normal;

    /// <summary>The cached answer's text for <paramref name="key"/>, if any.</summary>
    public async Task<string?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var bytes = await _cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Keeps <paramref name="text"/> as the answer to <paramref name="key"/>.</summary>
    public Task WriteAsync(string key, string text) => _cache.SetAsync(key, Encoding.UTF8.GetBytes(text), Entry);

    /// <summary>The static reply for the caller's language (<c>Accept-Language</c>'s first tag, else the default).</summary>
    public string StaticReplyFor(HttpRequest request)
    {
        var accept = request.Headers.AcceptLanguage.ToString();
        var first = accept.Split(',', 2)[0].Split(';', 2)[0].Trim();
        return Options.StaticResponseFor(first.Length > 0 && first != "*" ? first : null);
    }

    /// <summary>Answers with <paramref name="text"/> as a chat completion of the requested model: JSON, or SSE chunks when the caller streamed.</summary>
    public async Task AnswerAsync(HttpResponse response, GatewayRequest request, string text, string mode, CancellationToken cancellationToken)
    {
        var id = "chatcmpl-vigil-" + Guid.NewGuid().ToString("N");
        var created = _time.GetUtcNow().ToUnixTimeSeconds();
        var model = request.Model!;
        response.Headers["X-Vigil-Degradation"] = mode;
        if (!request.Stream)
        {
            response.ContentType = "application/json";
            var body = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = Usage(),
            };
            await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body), cancellationToken).ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };

        await EventAsync(response, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null), cancellationToken).ConfigureAwait(false);
        await EventAsync(response, Chunk(new JsonObject { ["content"] = text }, null), cancellationToken).ConfigureAwait(false);
        await EventAsync(response, Chunk(new JsonObject(), "stop"), cancellationToken).ConfigureAwait(false);
        if (request.CallerAskedForUsage)
        {
            await EventAsync(response, new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(),
                ["usage"] = Usage(),
            }, cancellationToken).ConfigureAwait(false);
        }

        await response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Usage() => new() { ["prompt_tokens"] = 0, ["completion_tokens"] = 0, ["total_tokens"] = 0 };

    private static async Task EventAsync(HttpResponse response, JsonObject chunk, CancellationToken cancellationToken)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"data: {chunk.ToJsonString()}\n\n");
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
