using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>
/// The base of the collector's acceptance tests: every test gets an empty <typeparamref name="TStore"/> and, unless
/// <see cref="StartsCollector"/> is false, a collector running on it (options from <see cref="Configure"/>).
/// Each area's abstract suite derives from this once, and each store from the suite.
/// </summary>
/// <typeparam name="TStore">SQLite or PostgreSQL.</typeparam>
public abstract class CollectorTestBase<TStore> : IAsyncLifetime
    where TStore : TestStore, new()
{
    private CollectorHost? _host;

    /// <summary>The test's store.</summary>
    protected TStore Store { get; } = new();

    /// <summary>The running collector.</summary>
    protected CollectorHost Host => _host ?? throw new InvalidOperationException("No collector is running.");

    /// <summary>A client to the running collector.</summary>
    protected HttpClient Client => Host.Client;

    /// <summary>False when the tests start their collectors themselves.</summary>
    protected virtual bool StartsCollector => true;

    public virtual async Task InitializeAsync()
    {
        await Store.CreateAsync();
        if (StartsCollector)
        {
            _host = await CollectorHost.StartAsync(Store, Configure);
        }
    }

    public virtual async Task DisposeAsync()
    {
        await StopCollectorAsync();
        await Store.DisposeAsync();
    }

    /// <summary>The options of the collector started for each test (after the store and the loopback address).</summary>
    protected virtual void Configure(VigilServerOptions options)
    {
    }

    /// <summary>Stops the running collector, if any, and starts a new one on the same store.</summary>
    protected async Task<CollectorHost> StartCollectorAsync(Action<VigilServerOptions>? configure = null)
    {
        await StopCollectorAsync();
        _host = await CollectorHost.StartAsync(Store, configure ?? Configure);
        return _host;
    }

    /// <summary>Stops the running collector (its store is released, its data stays).</summary>
    protected async Task StopCollectorAsync()
    {
        if (_host is not null)
        {
            var host = _host;
            _host = null;
            await host.DisposeAsync();
        }
    }
}
