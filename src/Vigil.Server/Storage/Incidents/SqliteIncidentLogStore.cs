using Microsoft.Data.Sqlite;
using Vigil.Incidents;

namespace Vigil.Server.Storage.Incidents;

/// <summary>
/// The incident log in <c>incidents.db</c> beside the SQLite store's <c>vigil.db</c>, a file of its own so its rare
/// writes never take the store's writer lock or disturb its checkpoints.
/// </summary>
public sealed class SqliteIncidentLogStore : IIncidentLogStore
{
    /// <summary>The file name in the data directory.</summary>
    public const string FileName = "incidents.db";

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    /// <summary>Uses <c>incidents.db</c> in <paramref name="dataDirectory"/> (created if missing).</summary>
    public SqliteIncidentLogStore(string dataDirectory, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        DatabasePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        _connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString;
        _busyTimeoutMs = (int)(busyTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS incident_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ts_us INTEGER NOT NULL,
                action TEXT NOT NULL,
                severity TEXT NULL,
                mode TEXT NOT NULL,
                from_mode TEXT NOT NULL,
                reason TEXT NOT NULL,
                manual INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS incident_log_ts ON incident_log (ts_us);
            """;
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

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO incident_log (ts_us, action, severity, mode, from_mode, reason, manual) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6)";
            var values = IncidentLogColumns.Values(entry);
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.AddWithValue("$p" + i, values[i]);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IncidentLogEntry>> ReadAsync(DateTimeOffset? since, DateTimeOffset? until, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {IncidentLogColumns.Select} FROM incident_log WHERE ts_us >= $from AND ts_us < $to ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$from", since is { } f ? StoreTime.ToUnixMicroseconds(f) : long.MinValue);
        command.Parameters.AddWithValue("$to", until is { } t ? StoreTime.ToUnixMicroseconds(t) : long.MaxValue);
        command.Parameters.AddWithValue("$limit", limit);
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
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString) { DefaultTimeout = Math.Max(1, _busyTimeoutMs / 1000) };
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs}";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
