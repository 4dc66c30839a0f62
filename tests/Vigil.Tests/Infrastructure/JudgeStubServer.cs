using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Tests.Infrastructure;

/// <summary>
/// A judge endpoint on Kestrel (127.0.0.1, dynamic port) speaking the OpenAI chat completions format
/// (<c>POST /v1/chat/completions</c>, non-streaming). What it answers comes from <see cref="Handler"/>, which sees
/// each request (its prompt, model, headers, and its number among all requests); every request is kept in
/// <see cref="Requests"/>.
/// </summary>
public sealed class JudgeStubServer : IAsyncLifetime
{
    /// <summary>A verdict the default handler gives.</summary>
    public const string GoodVerdict =
        """{"relevance": 5, "coherence": 4, "faithfulness": 4, "safety": 5, "overall": 4, "is_hallucination": false, "reasoning": "Answers the question clearly."}""";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly ConcurrentQueue<JudgeStubRequest> _requests = new();
    private WebApplication? _app;
    private int _count;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>What to answer; by default <see cref="GoodVerdict"/>.</summary>
    public Func<JudgeStubRequest, JudgeStubReply> Handler { get; set; } = _ => JudgeStubReply.Content(GoodVerdict);

    /// <summary>The OpenAI base URL, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<JudgeStubRequest> Requests => [.. _requests];

    /// <summary>How many requests arrived.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The most requests being answered at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
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

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: aborted);
            var root = body.RootElement;
            var model = root.GetProperty("model").GetString() ?? string.Empty;
            var prompt = string.Concat(root.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").ValueKind == JsonValueKind.String
                ? m.GetProperty("content").GetString()
                : string.Concat(m.GetProperty("content").EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : null))));
            var jsonAsked = root.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object
                && format.TryGetProperty("type", out var type) && type.GetString() == "json_object";
            var authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
            var request = new JudgeStubRequest(Interlocked.Increment(ref _count), model, prompt, authorization, jsonAsked,
                root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number ? temperature.GetDouble() : null);
            _requests.Enqueue(request);

            var reply = Handler(request);
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, aborted);
            }

            if (reply.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            context.Response.ContentType = "application/json";
            if (reply.Status != 200)
            {
                context.Response.StatusCode = reply.Status;
                var error = new JsonObject
                {
                    ["error"] = new JsonObject { ["message"] = reply.Text ?? "error", ["type"] = "stub_error", ["param"] = null, ["code"] = null },
                };
                await context.Response.WriteAsync(error.ToJsonString(Compact), aborted);
                return;
            }

            if (reply.RawBody is { } raw)
            {
                await context.Response.WriteAsync(raw, aborted);
                return;
            }

            var completion = new JsonObject
            {
                ["id"] = "chatcmpl-judge-" + request.Number.ToString(CultureInfo.InvariantCulture),
                ["object"] = "chat.completion",
                ["created"] = 1_700_000_000,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text },
                    ["logprobs"] = null,
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 500, ["completion_tokens"] = 60, ["total_tokens"] = 560 },
            };
            await context.Response.WriteAsync(completion.ToJsonString(Compact), aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client went away (its timeout): nothing more to send.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
