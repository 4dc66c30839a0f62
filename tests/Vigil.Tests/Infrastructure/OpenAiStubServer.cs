using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;

namespace Vigil.Tests.Infrastructure;

/// <summary>
/// A real OpenAI-compatible server on Kestrel (127.0.0.1, dynamic port) serving <c>POST /v1/chat/completions</c>.
/// The scenario of each request comes from the <see cref="ScenarioHeader"/> header, which the clients made by
/// <see cref="CreateSdkChatClient"/> set on every request; without it the reply is <see cref="StubScenario.Normal"/>.
/// Streaming or not follows the request's <c>stream</c> field, as on the real API.
/// </summary>
public sealed class OpenAiStubServer : IAsyncLifetime
{
    /// <summary>The request header that selects the scenario.</summary>
    public const string ScenarioHeader = "X-Stub-Scenario";

    /// <summary>The model the clients ask for unless told otherwise (priced 0.4 / 1.6 / 0.1 per 1M).</summary>
    public const string DefaultModel = "gpt-4.1-mini";

    /// <summary>The text of a normal reply.</summary>
    public const string NormalReply = "Paris is the capital of France, and it is lovely in spring.";

    /// <summary>The English refusal.</summary>
    public const string RefusalReply = "I cannot help with that request.";

    /// <summary>The refusal sent in the <c>refusal</c> field.</summary>
    public const string StructuredRefusalReply = "I'm sorry, but I won't help with that.";

    /// <summary>The Chinese refusal.</summary>
    public const string ChineseRefusalReply = "抱歉,我不能回答这个问题";

    /// <summary>Broken JSON.</summary>
    public const string MalformedJsonReply = "{\"answer\": \"Paris\", \"confidence\": ";

    /// <summary>Valid JSON.</summary>
    public const string ValidJsonReply = "{\"answer\": \"Paris\", \"confidence\": 0.93}";

    /// <summary>usage.prompt_tokens (cached ones included).</summary>
    public const int PromptTokens = 1000;

    /// <summary>usage.completion_tokens.</summary>
    public const int CompletionTokens = 250;

    /// <summary>usage.prompt_tokens_details.cached_tokens.</summary>
    public const int CachedTokens = 400;

    /// <summary>The Retry-After of a 429, in seconds.</summary>
    public const int RetryAfterSeconds = 7;

    /// <summary>How many chunks a streamed reply's text is cut into.</summary>
    public const int StreamedTextChunks = 4;

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private WebApplication? _app;
    private long _ids;

    /// <summary>The wait before the first streamed chunk (the role chunk, right before the first text).</summary>
    public static TimeSpan FirstChunkDelay { get; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The wait between streamed chunks.</summary>
    public static TimeSpan ChunkDelay { get; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How long <see cref="StubScenario.Slow"/> waits before answering (unless the client goes away).</summary>
    public static TimeSpan SlowDelay { get; } = TimeSpan.FromSeconds(10);

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>; the OpenAI base URL is this plus <c>/v1</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", HandleAsync);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.Single().TrimEnd('/');
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The official SDK's chat client for <paramref name="scenario"/>, as an <see cref="IChatClient"/>.</summary>
    public IChatClient CreateChatClient(StubScenario scenario, string model = DefaultModel, TimeSpan? networkTimeout = null) =>
        CreateSdkChatClient(scenario, model, networkTimeout).AsIChatClient();

    /// <summary>
    /// The official SDK's chat client (no retries) that asks the stub for <paramref name="scenario"/>: of the stub itself, or
    /// of <paramref name="endpoint"/> (a gateway in front of it, which passes the scenario header on).
    /// </summary>
    public ChatClient CreateSdkChatClient(StubScenario scenario, string model = DefaultModel, TimeSpan? networkTimeout = null, Uri? endpoint = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint ?? new Uri(BaseUrl + "/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        };
        if (networkTimeout is { } timeout)
        {
            options.NetworkTimeout = timeout;
        }

        options.AddPolicy(new ScenarioPolicy(scenario), PipelinePosition.PerCall);
        return new OpenAIClient(new ApiKeyCredential("test"), options).GetChatClient(model);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        try
        {
            var scenario = Enum.TryParse<StubScenario>(context.Request.Headers[ScenarioHeader].ToString(), out var named) ? named : StubScenario.Normal;
            using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: aborted);
            var root = request.RootElement;
            var model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "unknown" : "unknown";
            var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var jsonAsked = root.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object
                && format.TryGetProperty("type", out var type) && type.GetString() == "json_object";
            var id = "chatcmpl-stub-" + Interlocked.Increment(ref _ids);

            switch (scenario)
            {
                case StubScenario.RateLimited:
                    context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await WriteErrorAsync(context, 429, "requests", "rate_limit_exceeded",
                        $"Rate limit reached for {model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in {RetryAfterSeconds}s.");
                    return;
                case StubScenario.Unauthorized:
                    await WriteErrorAsync(context, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: test.");
                    return;
                case StubScenario.ServerError:
                    await WriteErrorAsync(context, 500, "server_error", null, "The server had an error while processing your request. Sorry about that!");
                    return;
                case StubScenario.ContextLengthExceeded:
                    await WriteErrorAsync(context, 400, "invalid_request_error", "context_length_exceeded",
                        "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.");
                    return;
                case StubScenario.MalformedJson or StubScenario.ValidJson when !jsonAsked:
                    await WriteErrorAsync(context, 400, "invalid_request_error", "stub_expected_json_object",
                        "The stub serves this scenario only to requests with response_format json_object.");
                    return;
                case StubScenario.Slow:
                case StubScenario.StallingStream when !stream:
                    await WaitAtLeastAsync(SlowDelay, aborted);
                    break;
            }

            var (text, finishReason) = scenario switch
            {
                StubScenario.ContentFilter => ("Here is how you", "content_filter"),
                StubScenario.Refusal => (RefusalReply, "stop"),
                StubScenario.ChineseRefusal => (ChineseRefusalReply, "stop"),
                StubScenario.StructuredRefusal => (StructuredRefusalReply, "stop"),
                StubScenario.Empty => (string.Empty, "stop"),
                StubScenario.MalformedJson => (MalformedJsonReply, "stop"),
                StubScenario.ValidJson => (ValidJsonReply, "stop"),
                _ => (NormalReply, "stop"),
            };
            var broken = scenario == StubScenario.BrokenStream;
            var stall = scenario == StubScenario.StallingStream;
            var field = scenario == StubScenario.StructuredRefusal ? "refusal" : "content";
            if (stream)
            {
                await WriteStreamAsync(context, id, model, field, text, finishReason, broken, stall);
            }
            else
            {
                await WriteCompletionAsync(context, id, model, field, text, finishReason, broken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client went away (timeout, cancellation, early stop): nothing more to send.
        }
    }

    private static async Task WriteCompletionAsync(HttpContext context, string id, string model, string field, string text, string finishReason, bool broken)
    {
        var body = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = field == "content" ? text : null,
                    ["refusal"] = field == "refusal" ? text : null,
                },
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = Usage(),
        }.ToJsonString(Compact);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (broken)
        {
            await context.Response.WriteAsync(body[..(body.Length / 2)], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await WaitAtLeastAsync(ChunkDelay, context.RequestAborted);
            context.Abort();
            return;
        }

        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static async Task WriteStreamAsync(HttpContext context, string id, string model, string field, string text, string finishReason, bool broken, bool stall)
    {
        var aborted = context.RequestAborted;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(aborted);
        await context.Response.Body.FlushAsync(aborted);

        await WaitAtLeastAsync(FirstChunkDelay, aborted);
        await WriteEventAsync(context, Chunk(id, model, new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null));
        var pieces = Split(text, StreamedTextChunks);
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0)
            {
                await WaitAtLeastAsync(ChunkDelay, aborted);
            }

            await WriteEventAsync(context, Chunk(id, model, new JsonObject { [field] = pieces[i] }, null));
            if (stall && i == 0)
            {
                await WaitAtLeastAsync(SlowDelay, aborted);
            }

            if (broken && i == 1)
            {
                await WaitAtLeastAsync(ChunkDelay, aborted);
                context.Abort();
                return;
            }
        }

        await WaitAtLeastAsync(ChunkDelay, aborted);
        await WriteEventAsync(context, Chunk(id, model, new JsonObject(), finishReason));
        var usage = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = Usage(),
        };
        await WriteEventAsync(context, usage);
        await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }

    /// <summary>
    /// Waits no less than <paramref name="delay"/> by the stopwatch: a timer keeps whole milliseconds of its own clock and can
    /// fire a fraction of one early, which the latency assertions (TTFT above the first-chunk delay) would see.
    /// </summary>
    private static async Task WaitAtLeastAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var left = delay;
        while (left > TimeSpan.Zero)
        {
            await Task.Delay(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, cancellationToken);
            left = delay - Stopwatch.GetElapsedTime(started);
        }
    }

    private static JsonObject Chunk(string id, string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_700_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = delta,
            ["logprobs"] = null,
            ["finish_reason"] = finishReason,
        }),
    };

    private static JsonObject Usage() => new()
    {
        ["prompt_tokens"] = PromptTokens,
        ["completion_tokens"] = CompletionTokens,
        ["total_tokens"] = PromptTokens + CompletionTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = CachedTokens },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
    };

    private static async Task WriteEventAsync(HttpContext context, JsonObject payload)
    {
        await context.Response.WriteAsync("data: " + payload.ToJsonString(Compact) + "\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string? code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
        };
        await context.Response.WriteAsync(body.ToJsonString(Compact), Encoding.UTF8, context.RequestAborted);
    }

    private static List<string> Split(string text, int parts)
    {
        var pieces = new List<string>(parts);
        if (text.Length == 0)
        {
            return pieces;
        }

        var size = (text.Length + parts - 1) / parts;
        for (var start = 0; start < text.Length; start += size)
        {
            pieces.Add(text.Substring(start, Math.Min(size, text.Length - start)));
        }

        return pieces;
    }

    private sealed class ScenarioPolicy(StubScenario scenario) : PipelinePolicy
    {
        private readonly string _name = scenario.ToString();

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(ScenarioHeader, _name);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(ScenarioHeader, _name);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
