using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>
/// A collector started in this process as <c>vigil serve</c> starts it (<see cref="VigilServer.Build"/>,
/// <see cref="VigilServer.PrepareAsync"/>, <c>StartAsync</c>), listening on a free loopback port, with a real
/// <see cref="HttpClient"/> to it.
/// </summary>
public sealed class CollectorHost : IAsyncDisposable
{
    private bool _disposed;

    private CollectorHost(WebApplication app, Uri address, CapturedLogs logs)
    {
        App = app;
        Address = address;
        Logs = logs;
        Client = CreateClient();
    }

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>A client with <see cref="Address"/> as its base address.</summary>
    public HttpClient Client { get; }

    /// <summary>The collector's warnings and errors.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>Builds, prepares and starts a collector on <paramref name="store"/>.</summary>
    public static async Task<CollectorHost> StartAsync(TestStore store, Action<VigilServerOptions>? configure = null, IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configureBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var logs = new CapturedLogs();
        var app = VigilServer.Build([], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            configureBuilder?.Invoke(builder);

            // After the binding from configuration, as the command line's flags are.
            builder.Services.PostConfigure<VigilServerOptions>(options =>
            {
                options.Urls = "http://127.0.0.1:0";
                store.ApplyTo(options);
                configure?.Invoke(options);
            });
        });
        try
        {
            await VigilServer.PrepareAsync(app);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = new Uri(app.Urls.Single(u => u.StartsWith("http://", StringComparison.Ordinal)) + "/");
        Assert.NotEqual(0, address.Port);
        return new CollectorHost(app, address, logs);
    }

    /// <summary>Another client to the collector (e.g. one per concurrent sender).</summary>
    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Stops the collector and releases its store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
