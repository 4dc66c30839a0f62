using System.Collections.Concurrent;
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

namespace Vigil.Tests.Incidents;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c> on Kestrel (127.0.0.1) that answers "answer from {model}",
/// except that the next <see cref="FailNext"/> requests for <see cref="FailingModel"/> get a 500 server_error.
/// </summary>
public sealed class SwitchableOpenAiStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failNext;

    private SwitchableOpenAiStub(WebApplication app, string failingModel)
    {
        _app = app;
        FailingModel = failingModel;
    }

    /// <summary>The model whose requests fail while <see cref="FailNext"/> is above zero.</summary>
    public string FailingModel { get; }

    /// <summary>How many of the next requests for <see cref="FailingModel"/> fail.</summary>
    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>The OpenAI base URL, e.g. http://127.0.0.1:41234/v1.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Requests per model, and how many got a 500.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new();

    /// <summary>500s sent.</summary>
    public int Failures => _failures;

    private int _failures;

    /// <summary>The answer text for <paramref name="model"/>.</summary>
    public static string AnswerOf(string model) => "answer from " + model;

    /// <summary>Starts the stub.</summary>
    public static async Task<SwitchableOpenAiStub> StartAsync(string failingModel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new SwitchableOpenAiStub(app, failingModel);
        app.MapPost("/v1/chat/completions", stub.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        stub.Endpoint = new Uri(address + "/v1");
        return stub;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private bool TakeFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failNext);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failNext, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var model = request.RootElement.GetProperty("model").GetString() ?? "unknown";
        Requests.AddOrUpdate(model, 1, (_, n) => n + 1);
        if (model == FailingModel && TakeFailure())
        {
            Interlocked.Increment(ref _failures);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = "The server had an error.", ["type"] = "server_error", ["param"] = null, ["code"] = null },
            });
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = 1_765_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = AnswerOf(model) },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = 4, ["total_tokens"] = 16 },
        });
    }
}
