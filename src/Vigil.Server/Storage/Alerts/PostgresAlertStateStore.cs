using Npgsql;
using Vigil.Alerting.Engine;

namespace Vigil.Server.Storage.Alerts;

/// <summary>
/// The engine's pending and firing alerts in the collector's PostgreSQL database, table <c>alert_states</c>, created on
/// first use. Saves replace the table's rows in one transaction (an upsert, so two overlapping saves do not conflict).
/// </summary>
public sealed class PostgresAlertStateStore : IAlertStateStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private volatile bool _created;

    /// <summary>A store over <paramref name="connection"/> (the collector's <c>Vigil:Server:Store</c>).</summary>
    public PostgresAlertStateStore(string connection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        _dataSource = NpgsqlDataSource.Create(PostgresConnectionString.Normalize(connection));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredAlertState>> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT fingerprint, name, labels, state, since_ms, value FROM {AlertStateRows.Table}", connection);
        var alerts = new List<StoredAlertState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            alerts.Add(AlertStateRows.Read(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5)));
        }

        return alerts;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(IReadOnlyList<StoredAlertState> alerts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"DELETE FROM {AlertStateRows.Table}"));
        foreach (var alert in alerts)
        {
            var insert = new NpgsqlBatchCommand(
                $"INSERT INTO {AlertStateRows.Table} (fingerprint, name, labels, state, since_ms, value) VALUES ($1, $2, $3, $4, $5, $6) " +
                "ON CONFLICT (fingerprint) DO UPDATE SET name = EXCLUDED.name, labels = EXCLUDED.labels, state = EXCLUDED.state, since_ms = EXCLUDED.since_ms, value = EXCLUDED.value");
            insert.Parameters.Add(new NpgsqlParameter { Value = alert.Fingerprint });
            insert.Parameters.Add(new NpgsqlParameter { Value = alert.Name });
            insert.Parameters.Add(new NpgsqlParameter { Value = AlertStateRows.Labels(alert) });
            insert.Parameters.Add(new NpgsqlParameter { Value = alert.State });
            insert.Parameters.Add(new NpgsqlParameter { Value = alert.Since.ToUnixTimeMilliseconds() });
            insert.Parameters.Add(new NpgsqlParameter<double?> { TypedValue = alert.Value is { } v && double.IsFinite(v) ? v : null, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!_created)
        {
            try
            {
                await using var create = new NpgsqlCommand(
                    $"CREATE TABLE IF NOT EXISTS {AlertStateRows.Table} (fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, " +
                    "state TEXT NOT NULL, since_ms BIGINT NOT NULL, value DOUBLE PRECISION NULL)", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _created = true;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return connection;
    }
}
