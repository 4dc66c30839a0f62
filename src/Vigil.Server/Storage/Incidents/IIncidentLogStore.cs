using Vigil.Incidents;

namespace Vigil.Server.Storage.Incidents;

/// <summary>The incident responder's log, persisted beside the collector's store (table <c>incident_log</c>).</summary>
public interface IIncidentLogStore : IAsyncDisposable
{
    /// <summary>Creates the table if missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="entries"/> in their order.</summary>
    Task AppendAsync(IReadOnlyList<IncidentLogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest <paramref name="limit"/> entries stamped in [<paramref name="since"/>, <paramref name="until"/>) (either
    /// bound open when null), oldest first.
    /// </summary>
    Task<IReadOnlyList<IncidentLogEntry>> ReadAsync(DateTimeOffset? since, DateTimeOffset? until, int limit, CancellationToken cancellationToken = default);
}
