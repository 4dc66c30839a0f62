using Vigil.Server.Storage;
using Vigil.Signals;

namespace Vigil.Server.Hosting;

/// <summary>
/// Readies the collector before anything else of it starts: creates the store's schema and rebuilds the window from
/// the store (<see cref="WindowRestorer"/>). A hosted service registered first by <c>AddVigilCollector</c>, so any host
/// runs it before the ingest writer, the watches and the server; <c>vigil serve</c> runs it earlier, through
/// <see cref="VigilServer.PrepareAsync"/>, to tell a store that cannot be opened from other failures. It runs once.
/// </summary>
internal sealed class CollectorStartup(IVigilStore store, SignalPipeline pipeline, TimeProvider time) : IHostedService
{
    private readonly Lock _gate = new();
    private Task? _prepared;

    /// <summary>Prepares the store and the window, the first time it is called; later calls wait for that one.</summary>
    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _prepared ??= RunAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => PrepareAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WindowRestorer.RestoreAsync(store, pipeline, time, cancellationToken).ConfigureAwait(false);
    }
}
