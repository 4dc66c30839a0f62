using Vigil.Incidents;

namespace Vigil.Server.Storage.Incidents;

/// <summary>
/// At start, before the responder is assessed: creates the incident log's table, restores the responder's state from
/// the last entries (mode, since, reason, a manual override), then has every new entry go to the
/// <see cref="IncidentLogWriter"/>.
/// </summary>
internal sealed class IncidentLogStartup(IIncidentLogStore store, IncidentResponder responder, IncidentLogWriter writer) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        responder.Restore(await store.ReadAsync(null, null, responder.Options.MaxLogEntries, cancellationToken).ConfigureAwait(false));
        responder.Logged = writer.Enqueue;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
