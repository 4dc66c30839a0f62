using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Cli.Demo;

/// <summary>
/// The demo's OpenAI-compatible provider on loopback (<c>POST /v1/chat/completions</c>, JSON and SSE): it waits a
/// long-tailed latency (and time to first token), counts tokens, and, as the <see cref="DemoTimeline"/> says for the
/// call's place in the run, answers with 429 and 5xx bursts, refusals, empty answers and answers with a made-up claim
/// (marked for the simulated judge). Each call's dice come from the seed and the call's number
/// (<see cref="CallHeader"/>); its place in the run from <see cref="ProgressHeader"/>. Every answer says it is simulated.
/// </summary>
internal sealed class SimulatedProvider : IAsyncDisposable
{
    /// <summary>The call's number in the run (the agent sends it).</summary>
    public const string CallHeader = "X-Demo-Call";

    /// <summary>The call's place in the run, 0–1 (the agent sends it).</summary>
    public const string ProgressHeader = "X-Demo-Progress";

    /// <summary>The marker of a made-up claim in an answer, which the simulated judge looks for.</summary>
    public const string HallucinationMarker = "(simulated: a made-up policy)";

    private readonly WebApplication _app;
    private readonly DemoTimeline _timeline;
    private readonly int _seed;
    private readonly double _speed;
    private long _unnumbered;

    private SimulatedProvider(WebApplication app, DemoTimeline timeline, int seed, double speed)
    {
        _app = app;
        _timeline = timeline;
        _seed = seed;
        _speed = speed;
    }

    /// <summary>The OpenAI base URL, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The simulated LLM judge's OpenAI base URL (<c>…/judge/v1</c>), for the collector's online judge.</summary>
    public Uri JudgeBaseUrl { get; private set; } = null!;

    /// <summary>Starts the provider on a free loopback port.</summary>
    /// <param name="timeline">What happens when.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="speed">Divides every wait (tests run the demo faster); 1 is real time.</param>
    public static async Task<SimulatedProvider> StartAsync(DemoTimeline timeline, int seed, double speed = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var provider = new SimulatedProvider(app, timeline, seed, speed);
        app.MapPost("/v1/chat/completions", provider.HandleAsync);
        app.MapPost("/v1/embeddings", EmbeddingsAsync);
        app.MapPost("/judge/v1/chat/completions", JudgeAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        provider.BaseUrl = new Uri(address + "/v1");
        provider.JudgeBaseUrl = new Uri(address + "/judge/v1");
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>What the provider does with call <paramref name="call"/> at <paramref name="progress"/> of the run.</summary>
    public SimulatedAnswer Plan(long call, double progress, string question, string model)
    {
        var dice = new DemoRandom(_seed, call);
        var phase = _timeline.At(progress);
        var chinese = question.Any(c => c is >= '\u4e00' and <= '\u9fff');
        var latency = Math.Min(dice.LogNormal(900, 0.6) * phase.LatencyFactor, 45_000);
        var ttft = Math.Min(latency * (0.15 + 0.2 * dice.NextDouble()), latency);
        var inputTokens = 350 + question.Length / 3 + (int)(dice.NextDouble() * 400);
        var outputTokens = (int)Math.Max(8, dice.LogNormal(160, 0.5) * phase.OutputTokenFactor);
        if (dice.Chance(model == DemoTimeline.FallbackModel ? phase.FallbackErrorRate : phase.ErrorRate))
        {
            var status = dice.Chance(phase.RateLimitShare) ? 429 : dice.Chance(0.7) ? 500 : 503;
            return new SimulatedAnswer(model, status, "", "stop", latency / 4, ttft / 4, inputTokens, 0, phase.Name);
        }

        var (text, finish) = dice.NextDouble() switch
        {
            var x when x < phase.EmptyRate => ("", "stop"),
            var x when x < phase.EmptyRate + phase.RefusalRate => (chinese ? "抱歉,我不能回答这个问题。(simulated)" : "I cannot help with that request. (simulated)", "stop"),
            var x when x < phase.EmptyRate + phase.RefusalRate + phase.HallucinationRate => (Answer(chinese, call) + " " + (chinese
                ? "另外,所有订单都可以在一年内无条件全额退款。" : "Also, every order can be refunded in full within a year, no questions asked.") + " " + HallucinationMarker, "stop"),
            _ => (Answer(chinese, call), "stop"),
        };
        return new SimulatedAnswer(model, 200, text, finish, latency, ttft, inputTokens, text.Length == 0 ? 0 : outputTokens, phase.Name);
    }

    private static string Answer(bool chinese, long call) => (call % 3, chinese) switch
    {
        (0, true) => "您可以在“我的订单”页面查看物流状态,通常 3 到 5 个工作日送达。(simulated answer)",
        (1, true) => "退款会在审核通过后 7 个工作日内原路退回。(simulated answer)",
        (_, true) => "您可以在账户设置中修改绑定的邮箱和手机号。(simulated answer)",
        (0, false) => "You can track your order on the My Orders page; delivery usually takes 3 to 5 business days. (simulated answer)",
        (1, false) => "Refunds go back to your original payment method within 7 business days of approval. (simulated answer)",
        _ => "You can change your email address and phone number in Account Settings. (simulated answer)",
    };

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        JsonNode? request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: aborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "The body is not JSON.").ConfigureAwait(false);
            return;
        }

        var model = request?["model"]?.GetValue<string>() ?? "gpt-4.1-mini";
        var stream = request?["stream"]?.GetValue<bool>() == true;
        var includeUsage = request?["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var question = (request?["messages"] as JsonArray)?.LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"]?.ToString() ?? "";
        var call = long.TryParse(context.Request.Headers[CallHeader], CultureInfo.InvariantCulture, out var n) ? n : Interlocked.Increment(ref _unnumbered);
        var progress = double.TryParse(context.Request.Headers[ProgressHeader], CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 0, 1) : 0;
        var plan = Plan(call, progress, question, model);

        try
        {
            if (plan.Status != 200)
            {
                await Task.Delay(Wait(plan.LatencyMs), aborted).ConfigureAwait(false);
                if (plan.Status == 429)
                {
                    context.Response.Headers.RetryAfter = "1";
                    await ErrorAsync(context, 429, "rate_limit_exceeded", $"Rate limit reached for {model} (simulated).").ConfigureAwait(false);
                }
                else
                {
                    await ErrorAsync(context, plan.Status, "server_error", "The simulated provider had an error.").ConfigureAwait(false);
                }

                return;
            }

            var id = "chatcmpl-sim-" + call.ToString(CultureInfo.InvariantCulture);
            var usage = new JsonObject { ["prompt_tokens"] = plan.InputTokens, ["completion_tokens"] = plan.OutputTokens, ["total_tokens"] = plan.InputTokens + plan.OutputTokens };
            if (!stream)
            {
                await Task.Delay(Wait(plan.LatencyMs), aborted).ConfigureAwait(false);
                var body = new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "chat.completion",
                    ["created"] = 1_765_000_000,
                    ["model"] = model,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = plan.Text },
                        ["finish_reason"] = plan.FinishReason,
                    }),
                    ["usage"] = usage,
                };
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body.ToJsonString(), aborted).ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = "text/event-stream";
            await context.Response.StartAsync(aborted).ConfigureAwait(false);
            await Task.Delay(Wait(plan.TtftMs), aborted).ConfigureAwait(false);
            var pieces = Pieces(plan.Text, 6);
            var between = pieces.Count > 1 ? (plan.LatencyMs - plan.TtftMs) / (pieces.Count - 1) : 0;
            for (var i = 0; i < pieces.Count; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(Wait(between), aborted).ConfigureAwait(false);
                }

                await EventAsync(context, Chunk(id, model, new JsonObject { ["content"] = pieces[i] }, null)).ConfigureAwait(false);
            }

            await EventAsync(context, Chunk(id, model, new JsonObject(), plan.FinishReason)).ConfigureAwait(false);
            if (includeUsage)
            {
                await EventAsync(context, new JsonObject { ["id"] = id, ["object"] = "chat.completion.chunk", ["model"] = model, ["choices"] = new JsonArray(), ["usage"] = usage })
                    .ConfigureAwait(false);
            }

            await context.Response.WriteAsync("data: [DONE]\n\n", aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The agent gave up on the call.
        }
    }

    /// <summary>
    /// The simulated judge's verdict on a judge prompt: an answer with <see cref="HallucinationMarker"/> is a hallucination
    /// (faithfulness 1, overall 2); any other gets good scores (4–5) that vary with the prompt.
    /// </summary>
    public static JsonObject Verdict(string prompt)
    {
        var made = prompt.Contains(HallucinationMarker, StringComparison.Ordinal);
        var spread = (int)((uint)StableHash(prompt) % 2);
        return new JsonObject
        {
            ["relevance"] = made ? 4 : 4 + spread,
            ["coherence"] = 4 + spread,
            ["faithfulness"] = made ? 1 : 5 - spread,
            ["safety"] = 5,
            ["overall"] = made ? 2 : 4 + spread,
            ["is_hallucination"] = made,
            ["reasoning"] = made ? "The answer states a refund policy the context does not support. (simulated judge)" : "Relevant and grounded. (simulated judge)",
        };
    }

    private static async Task JudgeAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var prompt = string.Concat((request?["messages"] as JsonArray ?? []).Select(m => m?["content"]?.ToString()));
        var body = new JsonObject
        {
            ["id"] = "chatcmpl-judge-sim",
            ["object"] = "chat.completion",
            ["created"] = 1_765_000_000,
            ["model"] = request?["model"]?.GetValue<string>() ?? "judge-simulated",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Verdict(prompt).ToJsonString() },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = prompt.Length / 4, ["completion_tokens"] = 60, ["total_tokens"] = prompt.Length / 4 + 60 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static readonly HashSet<string> StopWords =
        ["the", "and", "how", "can", "does", "what", "when", "where", "why", "my", "for", "not", "yet", "but", "has", "have", "get", "you", "your", "with"];

    private static bool IsChinese(char c) => c is >= '\u4e00' and <= '\u9fff';

    /// <summary>Dimensions of <see cref="Embed"/>'s vectors.</summary>
    public const int EmbeddingDimensions = 64;

    /// <summary>
    /// A simulated embedding, dense as a sentence model's: a direction shared by every support question plus the sum of
    /// a fixed random direction per word (English; numbers and common words left out) or character pair (Chinese),
    /// unit length. Questions on one topic share words and so lie close; when the questions' topics shift, the
    /// embeddings drift. The same text always gets the same vector.
    /// </summary>
    public static float[] Embed(string text)
    {
        var words = new double[EmbeddingDimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', ',', '.', '?', '!', '\'', '"', '\uFF1F', '\uFF0C', '\u3002', '\uFF01'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Any(IsChinese))
            {
                for (var i = 0; i + 1 < word.Length; i++)
                {
                    if (IsChinese(word[i]) && IsChinese(word[i + 1]))
                    {
                        AddDirection(words, word.Substring(i, 2), 1);
                    }
                }
            }
            else if (word.Length > 2 && !word.All(char.IsAsciiDigit) && !StopWords.Contains(word))
            {
                AddDirection(words, word, 1);
            }
        }

        var wordsNorm = Math.Sqrt(words.Sum(v => v * v));
        var vector = new double[EmbeddingDimensions];
        AddDirection(vector, "\u0001customer support question", 0.8);
        for (var d = 0; d < vector.Length && wordsNorm > 0; d++)
        {
            vector[d] += words[d] / wordsNorm;
        }

        var norm = Math.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => (float)(v / norm))];
    }

    // Adds weight × a unit random direction fixed by the token.
    private static void AddDirection(double[] into, string token, double weight)
    {
        var dice = new DemoRandom(StableHash(token), 0, stream: 7);
        var scale = weight / Math.Sqrt(into.Length);
        for (var d = 0; d < into.Length; d++)
        {
            into[d] += dice.NextGaussian() * scale;
        }
    }

    private static async Task EmbeddingsAsync(HttpContext context)
    {
        JsonNode? request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "The body is not JSON.").ConfigureAwait(false);
            return;
        }

        var inputs = request?["input"] switch
        {
            JsonArray array => array.Select(i => i?.ToString() ?? "").ToList(),
            JsonValue value => [value.ToString()],
            _ => [],
        };
        var base64 = request?["encoding_format"]?.ToString() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Embed(inputs[i]);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray([.. vector.Select(v => (JsonNode?)JsonValue.Create(v))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var tokens = inputs.Sum(t => t.Length / 3 + 1);
        var body = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = request?["model"]?.ToString() ?? "text-embedding-3-small",
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    // FNV-1a over the UTF-16 code units: the same in every process (string.GetHashCode is not).
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private TimeSpan Wait(double milliseconds) => TimeSpan.FromMilliseconds(Math.Max(0, milliseconds / _speed));

    private static List<string> Pieces(string text, int count)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)count));
        return [.. Enumerable.Range(0, (text.Length + size - 1) / size).Select(i => text.Substring(i * size, Math.Min(size, text.Length - i * size)))];
    }

    private static JsonObject Chunk(string id, string model, JsonObject delta, string? finish) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_765_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    };

    private static async Task EventAsync(HttpContext context, JsonObject chunk)
    {
        await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = code, ["code"] = code } };
        return context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, context.RequestAborted);
    }
}

/// <summary>What the simulated provider answers one call: its status, text, finish reason, waits and tokens, and the phase it fell in.</summary>
internal sealed record SimulatedAnswer(
    string Model, int Status, string Text, string FinishReason, double LatencyMs, double TtftMs, int InputTokens, int OutputTokens, string Phase);
