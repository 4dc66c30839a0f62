using Microsoft.Data.Sqlite;
using Vigil.Alerting.Engine;

namespace Vigil.Server.Storage.Alerts;

/// <summary>
/// The engine's pending and firing alerts in the collector's SQLite file (<c>vigil.db</c>), table <c>alert_states</c>,
/// created on first use. Saves replace the table's rows in one transaction.
/// </summary>
public sealed class SqliteAlertStateStore : IAlertStateStore, IDisposable
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _created;

    /// <summary>A store in the database file <paramref name="databasePath"/>.</summary>
    public SqliteAlertStateStore(string databasePath, TimeSpan busyTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString;
        _busyTimeoutMs = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredAlertState>> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT fingerprint, name, labels, state, since_ms, value FROM {AlertStateRows.Table}";
            var alerts = new List<StoredAlertState>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                alerts.Add(AlertStateRows.Read(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetDouble(5)));
            }

            return alerts;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task SaveAsync(IReadOnlyList<StoredAlertState> alerts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var clear = connection.CreateCommand())
            {
                clear.Transaction = transaction;
                clear.CommandText = $"DELETE FROM {AlertStateRows.Table}";
                await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var alert in alerts)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT OR REPLACE INTO {AlertStateRows.Table} (fingerprint, name, labels, state, since_ms, value) VALUES ($f, $n, $l, $s, $t, $v)";
                insert.Parameters.AddWithValue("$f", alert.Fingerprint);
                insert.Parameters.AddWithValue("$n", alert.Name);
                insert.Parameters.AddWithValue("$l", AlertStateRows.Labels(alert));
                insert.Parameters.AddWithValue("$s", alert.State);
                insert.Parameters.AddWithValue("$t", alert.Since.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$v", alert.Value is { } v && double.IsFinite(v) ? v : DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString) { DefaultTimeout = Math.Max(1, _busyTimeoutMs / 1000) };
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs};" + (_created ? string.Empty :
                $"CREATE TABLE IF NOT EXISTS {AlertStateRows.Table} (fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, " +
                "state TEXT NOT NULL, since_ms INTEGER NOT NULL, value REAL NULL);");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
