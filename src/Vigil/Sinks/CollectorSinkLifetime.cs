using Microsoft.Extensions.Hosting;

namespace Vigil.Sinks;

/// <summary>
/// Sends what the <see cref="CollectorSink"/> holds when the host stops: after every other hosted service has stopped
/// (so the records they emitted while stopping go too), within the sink's and the host's shutdown timeouts.
/// </summary>
internal sealed class CollectorSinkLifetime(CollectorSink sink) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => sink.StopAsync(cancellationToken);
}
