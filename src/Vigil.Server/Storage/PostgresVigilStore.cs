using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// The store for teams that outgrow one machine: PostgreSQL through an <see cref="NpgsqlDataSource"/>
/// (pooled connections). Same schema as <see cref="SqliteVigilStore"/>: <c>ts</c> is Unix microseconds
/// (UTC) in a BIGINT, the record is its contract JSON.
/// </summary>
/// <remarks>
/// <para>
/// The JSON column is <c>TEXT</c>, not <c>JSONB</c>: the store never queries inside a record except for
/// <c>cost_usd</c>, so JSONB would only add a parse and a rewrite per row on ingest (the hot path), it
/// would not give back the bytes that were stored, and it rejects <c>\u0000</c> in strings, which is
/// valid JSON and can occur in captured query or response text (a valid record would then fail to store).
/// A JSONB column or an expression index can be added later if queries inside records are needed.
/// </para>
/// <para>
/// Upserts of interactions take a transaction-level advisory lock, so concurrent batches (several
/// collectors on one database) are applied one after another. Without it, two transactions inserting the
/// same new trace_id would both see no previous version, and the second would replace the first one's
/// record while reporting it as new. Feedback and evaluations are appends and take no lock.
/// </para>
/// <para>
/// Durability is PostgreSQL's: a call returns after COMMIT, which with the server default
/// <c>synchronous_commit = on</c> means the WAL is flushed.
/// </para>
/// </remarks>
public sealed class PostgresVigilStore : IVigilStore
{
    // Advisory lock keys ("VigilSCH", "VigilUPS" in ASCII); transaction-scoped, so released by COMMIT or ROLLBACK.
    private const long SchemaLockKey = 0x5669_6769_6C53_4348;
    private const long UpsertLockKey = 0x5669_6769_6C55_5053;

    // One statement each: a batch command is one extended-protocol statement.
    private static readonly string[] s_schema =
    [
        "CREATE TABLE IF NOT EXISTS interactions (trace_id TEXT PRIMARY KEY, ts BIGINT NOT NULL, json TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS interactions_ts ON interactions (ts)",
        "CREATE TABLE IF NOT EXISTS feedback (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, trace_id TEXT NULL, ts BIGINT NOT NULL, json TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS feedback_trace_id ON feedback (trace_id)",
        "CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts)",
        "CREATE TABLE IF NOT EXISTS evaluations (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, trace_id TEXT NOT NULL, ts BIGINT NOT NULL, json TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS evaluations_trace_id ON evaluations (trace_id)",
        "CREATE INDEX IF NOT EXISTS evaluations_ts ON evaluations (ts)",
        // Added after the first release: created in a database of an earlier version on start. Kept at least 24 hours.
        "CREATE TABLE IF NOT EXISTS idempotency_keys (scope TEXT NOT NULL, key TEXT NOT NULL, accepted INTEGER NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (scope, key))",
        "CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at)",
    ];

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private long _nextPrune;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates the store over a connection pool; nothing is opened until the first call.</summary>
    /// <param name="connection">An Npgsql connection string or a <c>postgres://</c> URI (see <see cref="PostgresConnectionString.Normalize"/>).</param>
    /// <param name="timeProvider">The clock for records that carry no time of their own; the system clock when null.</param>
    public PostgresVigilStore(string connection, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _dataSource = NpgsqlDataSource.Create(PostgresConnectionString.Normalize(connection));
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // A role without CREATE on the schema can still use tables provisioned for it: CREATE ... IF NOT EXISTS
        // checks that privilege even when the table exists, so it runs only when a table is missing.
        await using (var probe = new NpgsqlCommand(
            "SELECT to_regclass('interactions') IS NOT NULL AND to_regclass('feedback') IS NOT NULL AND to_regclass('evaluations') IS NOT NULL " +
            "AND to_regclass('idempotency_keys') IS NOT NULL",
            connection))
        {
            if (await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                _initialized = true;
                return;
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Two collectors starting together would otherwise race on CREATE ... IF NOT EXISTS.
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})"));
            foreach (var statement in s_schema)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _initialized = true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(
        IReadOnlyList<InteractionRecord> records, CancellationToken cancellationToken = default) =>
        UpsertInteractionsAsync(records, [], cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(
        IReadOnlyList<InteractionRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken = default)
    {
        StoreJson.CheckInteractions(records);
        IdempotencyKeys.CheckDistinct(keys);
        var replaced = new InteractionRecord?[records.Count];
        if (records.Count == 0 && keys.Count == 0)
        {
            return replaced;
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        // One row per trace_id (ON CONFLICT cannot touch a row twice in one statement): the last version wins,
        // and each repeat has the version before it in the batch as its replaced record.
        var latest = new Dictionary<string, int>(records.Count, StringComparer.Ordinal);
        var firstOccurrence = new List<int>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var traceId = records[i].TraceId;
            if (latest.TryGetValue(traceId, out var previous))
            {
                replaced[i] = records[previous];
            }
            else
            {
                firstOccurrence.Add(i);
            }

            latest[traceId] = i;
        }

        var ids = new string[firstOccurrence.Count];
        var timestamps = new long[ids.Length];
        var jsons = new string[ids.Length];
        for (var slot = 0; slot < ids.Length; slot++)
        {
            var record = records[latest[records[firstOccurrence[slot]].TraceId]];
            ids[slot] = record.TraceId;
            timestamps[slot] = StoreTime.ToUnixMicroseconds(record.Timestamp);
            jsons[slot] = StoreJson.Serialize(record);
        }

        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({UpsertLockKey})"));
                var beforeSelect = 1 + AddKeyCommands(batch, IdempotencyScope.Interactions, keys);
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT trace_id, json FROM interactions WHERE trace_id = ANY($1) FOR UPDATE")
                {
                    Parameters = { TextArray(ids) },
                });
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO interactions (trace_id, ts, json)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
                    ON CONFLICT (trace_id) DO UPDATE SET ts = EXCLUDED.ts, json = EXCLUDED.json
                    """)
                {
                    Parameters = { TextArray(ids), BigintArray(timestamps), TextArray(jsons) },
                });
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

                // Past the lock's result (and the keys' statements) to the stored versions.
                for (var skip = 0; skip < beforeSelect; skip++)
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stored[reader.GetString(0)] = reader.GetString(1);
                }

                // The INSERT's outcome (an error surfaces here, before COMMIT).
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var i in firstOccurrence)
        {
            if (stored.TryGetValue(records[i].TraceId, out var json))
            {
                replaced[i] = StoreJson.Interaction(json);
            }
        }

        return replaced;
    }

    /// <inheritdoc />
    public Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken = default) =>
        AddFeedbackAsync(records, [], cancellationToken);

    /// <inheritdoc />
    public Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken = default)
    {
        IdempotencyKeys.CheckDistinct(keys);
        var stamped = AppendStamp.Feedback(records, _timeProvider);
        return AppendAsync("feedback", [.. stamped.Select(r => r.TraceId)], [.. stamped.Select(r => StoreTime.ToUnixMicroseconds(r.Timestamp!.Value))],
            [.. stamped.Select(StoreJson.Serialize)], IdempotencyScope.Feedback, keys, cancellationToken);
    }

    /// <inheritdoc />
    public Task AddEvaluationsAsync(IReadOnlyList<EvaluationRecord> records, CancellationToken cancellationToken = default)
    {
        var stamped = AppendStamp.Evaluations(records, _timeProvider);
        return AppendAsync("evaluations", [.. stamped.Select(r => (string?)r.TraceId)], [.. stamped.Select(r => StoreTime.ToUnixMicroseconds(r.EvaluatedAt!.Value))],
            [.. stamped.Select(StoreJson.Serialize)], null, [], cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<InteractionRecord> ReadInteractionsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadRangeAsync("interactions", "ts", from, to, StoreJson.Interaction, static r => r.Timestamp, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<FeedbackRecord> ReadFeedbackAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadRangeAsync("feedback", "ts, id", from, to, StoreJson.Feedback, static r => r.Timestamp!.Value, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EvaluationRecord> ReadEvaluationsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadRangeAsync("evaluations", "ts, id", from, to, StoreJson.Evaluation, static r => r.EvaluatedAt!.Value, cancellationToken);

    /// <inheritdoc />
    public async Task<InteractionRecord?> GetInteractionAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand("SELECT json FROM interactions WHERE trace_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = traceId, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.Interaction(json) : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FeedbackRecord>> GetFeedbackForTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        return ReadForTraceAsync("feedback", traceId, StoreJson.Feedback, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsForTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        return ReadForTraceAsync("evaluations", traceId, StoreJson.Evaluation, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<decimal> SumCostAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var window = StoreTime.Window(from, to);
        decimal sum;

        // Exact decimal sum in the database over the rows certainly in range. The number is cut out of the
        // JSON text: casting to json (or jsonb) would fail on a record with \u0000 in any string, which
        // PostgreSQL's json functions cannot unescape. The pattern is safe on contract JSON: inside a JSON
        // string a quote is always escaped, and the only other "cost_usd" key possible (in attributes) has
        // a string value, which does not match.
        await using (var command = _dataSource.CreateCommand("""
            SELECT COALESCE(SUM(substring(json FROM '"cost_usd"\s*:\s*(-?[0-9][0-9.eE+-]*)')::numeric), 0)
            FROM interactions WHERE ts >= $1 AND ts < $2
            """))
        {
            command.Parameters.Add(Bigint(window.InnerFrom));
            command.Parameters.Add(Bigint(window.InnerTo));
            sum = (decimal)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (window.IsExact)
        {
            return sum;
        }

        // A bound inside a microsecond: the rows stored in that microsecond are decided on the record's own time.
        await using (var command = _dataSource.CreateCommand(
            "SELECT json FROM interactions WHERE ts >= $1 AND ts < $2 AND (ts < $3 OR ts >= $4)"))
        {
            command.Parameters.Add(Bigint(window.OuterFrom));
            command.Parameters.Add(Bigint(window.OuterTo));
            command.Parameters.Add(Bigint(window.InnerFrom));
            command.Parameters.Add(Bigint(window.InnerTo));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var record = StoreJson.Interaction(reader.GetString(0));
                if (window.Contains(record.Timestamp))
                {
                    sum += record.CostUsd ?? 0m;
                }
            }
        }

        return sum;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, int>> FindIdempotencyKeysAsync(
        IdempotencyScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand("SELECT key, accepted FROM idempotency_keys WHERE scope = $1 AND key = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = IdempotencyKeys.Name(scope), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(TextArray([.. keys]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[reader.GetString(0)] = reader.GetInt32(1);
        }

        return found;
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>Closes the pool's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static NpgsqlParameter<string[]> TextArray(string[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter<string?[]> NullableTextArray(string?[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter<long[]> BigintArray(long[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    private static NpgsqlParameter<long> Bigint(long value) =>
        new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AppendAsync(
        string table, string?[] traceIds, long[] timestamps, string[] jsons, IdempotencyScope? scope, IReadOnlyList<IdempotencyKey> keys,
        CancellationToken cancellationToken)
    {
        if (traceIds.Length == 0 && keys.Count == 0)
        {
            return;
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        // One batch, one implicit transaction (the batch ends in a single Sync): the keys with the records or neither.
        // WITH ORDINALITY keeps the batch's order in the ids.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        if (scope is { } keyScope)
        {
            _ = AddKeyCommands(batch, keyScope, keys);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            INSERT INTO {table} (trace_id, ts, json)
            SELECT t, s, j FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS u (t, s, j, n) ORDER BY n
            """)
        {
            Parameters = { NullableTextArray(traceIds), BigintArray(timestamps), TextArray(jsons) },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The request keys of the transaction (a key already there fails it), after the expired ones are pruned, if due.
    // Returns how many statements it added: none without keys.
    private int AddKeyCommands(NpgsqlBatch batch, IdempotencyScope scope, IReadOnlyList<IdempotencyKey> keys)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var added = 1;
        var now = StoreTime.ToUnixMicroseconds(_timeProvider.GetUtcNow());
        if (IdempotencyKeys.PruneBefore(now, ref _nextPrune) is { } before)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM idempotency_keys WHERE created_at < $1") { Parameters = { Bigint(before) } });
            added++;
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO idempotency_keys (scope, key, accepted, created_at)
            SELECT $1, k, a, $4 FROM unnest($2::text[], $3::integer[]) AS u (k, a)
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = IdempotencyKeys.Name(scope), NpgsqlDbType = NpgsqlDbType.Text },
                TextArray([.. keys.Select(k => k.Key)]),
                new NpgsqlParameter<int[]> { TypedValue = [.. keys.Select(k => k.Accepted)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                Bigint(now),
            },
        });
        return added;
    }

    private async IAsyncEnumerable<T> ReadRangeAsync<T>(
        string table,
        string orderBy,
        DateTimeOffset from,
        DateTimeOffset to,
        Func<string, T> parse,
        Func<T, DateTimeOffset> timestamp,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var window = StoreTime.Window(from, to);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT ts, json FROM {table} WHERE ts >= $1 AND ts < $2 ORDER BY {orderBy}", connection);
        command.Parameters.Add(Bigint(window.OuterFrom));
        command.Parameters.Add(Bigint(window.OuterTo));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = parse(reader.GetString(1));
            if (window.IsCertain(reader.GetInt64(0)) || window.Contains(timestamp(record)))
            {
                yield return record;
            }
        }
    }

    private async Task<IReadOnlyList<T>> ReadForTraceAsync<T>(
        string table, string traceId, Func<string, T> parse, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT json FROM {table} WHERE trace_id = $1 ORDER BY ts, id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = traceId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(parse(reader.GetString(0)));
        }

        return list;
    }
}
