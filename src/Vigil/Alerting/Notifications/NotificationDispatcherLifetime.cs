using Microsoft.Extensions.Hosting;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// Delivers what the <see cref="NotificationDispatcher"/> holds when the host stops: after every other hosted service
/// has stopped (so the alert engine's last changes go too), within the dispatcher's and the host's shutdown timeouts.
/// </summary>
internal sealed class NotificationDispatcherLifetime(NotificationDispatcher dispatcher) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => dispatcher.StopAsync(cancellationToken);
}
