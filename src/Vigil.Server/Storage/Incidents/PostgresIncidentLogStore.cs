using Npgsql;
using Vigil.Incidents;

namespace Vigil.Server.Storage.Incidents;

/// <summary>The incident log in the PostgreSQL store's database (table <c>incident_log</c>, on the connection's search path).</summary>
public sealed class PostgresIncidentLogStore : IIncidentLogStore
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Connects with <paramref name="connection"/> (the store's: an Npgsql string or a <c>postgres://</c> URI).</summary>
    public PostgresIncidentLogStore(string connection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        _dataSource = NpgsqlDataSource.Create(PostgresConnectionString.Normalize(connection));
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS incident_log (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                ts_us BIGINT NOT NULL,
                action TEXT NOT NULL,
                severity TEXT NULL,
                mode TEXT NOT NULL,
                from_mode TEXT NOT NULL,
                reason TEXT NOT NULL,
                manual BOOLEAN NOT NULL);
            CREATE INDEX IF NOT EXISTS incident_log_ts ON incident_log (ts_us);
            """);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<IncidentLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var entry in entries)
        {
            var command = new NpgsqlBatchCommand("INSERT INTO incident_log (ts_us, action, severity, mode, from_mode, reason, manual) VALUES ($1, $2, $3, $4, $5, $6, $7)");
            foreach (var value in IncidentLogColumns.Values(entry))
            {
                command.Parameters.Add(value is DBNull
                    ? new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }
                    : new NpgsqlParameter { Value = value });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false); // one implicit transaction
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IncidentLogEntry>> ReadAsync(DateTimeOffset? since, DateTimeOffset? until, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand(
            $"SELECT {IncidentLogColumns.Select} FROM incident_log WHERE ts_us >= $1 AND ts_us < $2 ORDER BY id DESC LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = since is { } f ? StoreTime.ToUnixMicroseconds(f) : long.MinValue });
        command.Parameters.Add(new NpgsqlParameter { Value = until is { } t ? StoreTime.ToUnixMicroseconds(t) : long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var entries = new List<IncidentLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(IncidentLogColumns.Read(reader));
        }

        entries.Reverse();
        return entries;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
