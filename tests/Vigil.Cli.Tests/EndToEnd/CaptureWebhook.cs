using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// A webhook receiver on Kestrel (127.0.0.1, a port the OS picks) that keeps every body posted to it, with the time it
/// arrived: what Alertmanager notified, as any team's webhook would see it.
/// </summary>
public sealed class CaptureWebhook : IAsyncDisposable
{
    private readonly ConcurrentQueue<CapturedNotification> _received;
    private readonly WebApplication _app;

    private CaptureWebhook(WebApplication app, Uri url, ConcurrentQueue<CapturedNotification> received)
    {
        _app = app;
        Url = url;
        _received = received;
    }

    /// <summary>The URL to post to.</summary>
    public Uri Url { get; }

    /// <summary>Every body received, in arrival order.</summary>
    public IReadOnlyList<CapturedNotification> Received => [.. _received];

    /// <summary>Starts it.</summary>
    public static async Task<CaptureWebhook> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var received = new ConcurrentQueue<CapturedNotification>();
        app.MapPost("/notifications", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            received.Enqueue(new CapturedNotification(DateTimeOffset.UtcNow, text));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new CaptureWebhook(app, new Uri(address.TrimEnd('/') + "/notifications"), received);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
