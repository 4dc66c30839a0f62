using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>
/// A notification receiver on Kestrel (127.0.0.1, a free port): it keeps every request and answers each as
/// <see cref="Script"/> says for its number (0 for the first): a status, with a <c>Retry-After</c>, or never (it hangs
/// until the client gives up). <see cref="Delivered"/> holds the bodies it answered with a 2xx, in order.
/// </summary>
public sealed class CaptureServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<CaptureRequest> _requests = new();
    private readonly ConcurrentQueue<JsonObject> _delivered = new();
    private readonly Stopwatch _sinceActivity = Stopwatch.StartNew();
    private readonly Func<DateTimeOffset> _clock;
    private WebApplication? _app;
    private int _count;
    private int _inFlight;
    private int _hanging;

    private CaptureServer(Func<DateTimeOffset> clock) => _clock = clock;

    /// <summary>What to answer to request number n; by default 200.</summary>
    public Func<int, CaptureReply> Script { get; set; } = _ => CaptureReply.Status(HttpStatusCode.OK);

    /// <summary>The URL to post to (the path and query given at start).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<CaptureRequest> Requests => [.. _requests];

    /// <summary>The bodies answered with a 2xx, in order.</summary>
    public IReadOnlyList<JsonObject> Delivered => [.. _delivered];

    /// <summary>Requests held hanging now.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    /// <summary>True when no request is being answered (a hanging one aside) and nothing happened for a moment of real time.</summary>
    public bool IsQuiet => Volatile.Read(ref _inFlight) == Volatile.Read(ref _hanging) && _sinceActivity.Elapsed > TimeSpan.FromMilliseconds(15);

    /// <summary>Starts a receiver; <paramref name="clock"/> stamps each request (the test's fake clock).</summary>
    public static async Task<CaptureServer> StartAsync(Func<DateTimeOffset> clock, string pathAndQuery = "/hook")
    {
        var server = new CaptureServer(clock);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address.TrimEnd('/') + pathAndQuery);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        _sinceActivity.Restart();
        try
        {
            var aborted = context.RequestAborted;
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(aborted);
            var number = Interlocked.Increment(ref _count) - 1;
            _requests.Enqueue(new CaptureRequest(number, _clock(), context.Request.Path + context.Request.QueryString, context.Request.ContentType, body));
            var reply = Script(number);
            if (reply.Hang)
            {
                Interlocked.Increment(ref _hanging);
                try
                {
                    await Task.Delay(Timeout.Infinite, aborted);
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    Interlocked.Decrement(ref _hanging);
                }

                return;
            }

            if (reply.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            context.Response.StatusCode = (int)reply.Code;
            if (reply.Code is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
            {
                _delivered.Enqueue(JsonNode.Parse(body)!.AsObject());
            }

            await context.Response.WriteAsync("{}", aborted);
        }
        finally
        {
            _sinceActivity.Restart();
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
