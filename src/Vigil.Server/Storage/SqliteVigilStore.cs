using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// The embedded store: one SQLite file (<c>vigil.db</c>) in the data directory, in WAL mode.
/// Writes go through one connection, one at a time, each call in one transaction with prepared
/// statements; reads use pooled connections of their own and see the last committed state.
/// </summary>
/// <remarks>
/// Durability: with WAL and <c>synchronous = NORMAL</c> (the default) a committed transaction is in the
/// WAL file when the call returns, so a killed process (SIGKILL after the 202) loses nothing; the WAL is
/// fsynced at checkpoints only, so power loss or an OS crash may lose the last commits. For that,
/// set <see cref="SqliteVigilStoreOptions.SynchronousFull"/> (<c>synchronous = FULL</c>, an fsync per commit).
/// Timestamps are stored as Unix microseconds (UTC); range reads are still exact to the tick, see <see cref="MicrosecondWindow"/>.
/// Random trace ids (GUIDs, W3C trace ids) would put each insert into a trace_id index on a different page, so a commit
/// wrote about one whole page per record to the WAL. Rows are therefore appended by sequence number, and the trace_id
/// index (<c>interaction_ids</c>) is filled off the commit path: the newest ids are held in memory and merged in key
/// order, in short transactions of their own while no request waits (<see cref="IStoreUpkeep"/>), or riding along with
/// commits when those fall behind (see <see cref="SqliteIdTail"/>). The WAL is checkpointed by a background
/// thread, never inside a commit (see <see cref="SqliteCheckpointer"/>).
/// </remarks>
public sealed class SqliteVigilStore : IVigilStore, IStoreUpkeep
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "vigil.db";

    // interactions: rows are appended by seq (cheap for any trace id); the trace_id -> seq index is interaction_ids,
    // filled off the commit path from SqliteIdTail (see there). store_state holds the merge watermark.
    // Time is indexed by whole second (interactions_second, key second then seq), not by ts: records arrive seconds
    // out of order, so an index on ts put each commit's rows on hundreds of leaf pages, every one a full page in the
    // WAL; by second, a commit appends at the end of the few seconds it covers. Range reads filter ts on the row.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS interactions (
            seq INTEGER PRIMARY KEY,
            trace_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            json TEXT NOT NULL);
        DROP INDEX IF EXISTS interactions_ts;
        CREATE INDEX IF NOT EXISTS interactions_second ON interactions (ts / 1000000);
        CREATE TABLE IF NOT EXISTS interaction_ids (
            trace_id TEXT PRIMARY KEY NOT NULL,
            seq INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS store_state (
            key TEXT PRIMARY KEY NOT NULL,
            value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            trace_id TEXT NULL,
            ts INTEGER NOT NULL,
            json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS feedback_trace_id ON feedback (trace_id);
        CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);
        CREATE TABLE IF NOT EXISTS evaluations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            trace_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS evaluations_trace_id ON evaluations (trace_id);
        CREATE INDEX IF NOT EXISTS evaluations_ts ON evaluations (ts);
        """;

    // A file made before interaction_ids existed (trace_id was the interactions table's primary key): copied over once.
    private const string MigrateFromTraceIdKey = """
        DROP INDEX IF EXISTS interactions_ts;
        ALTER TABLE interactions RENAME TO interactions_v1;
        """;

    private const string MigrateFromTraceIdKeyCopy = """
        INSERT INTO interactions (trace_id, ts, json) SELECT trace_id, ts, json FROM interactions_v1 ORDER BY ts;
        INSERT INTO interaction_ids (trace_id, seq) SELECT trace_id, seq FROM interactions;
        INSERT OR REPLACE INTO store_state (key, value) VALUES ('ids_merged_up_to', (SELECT coalesce(max(seq), 0) FROM interactions));
        DROP TABLE interactions_v1;
        """;

    private const string WatermarkKey = "ids_merged_up_to";

    // The WAL file is cut back to this many times SqliteVigilStoreOptions.WalSizeLimitBytes when it starts over.
    private const int WalFileLimitFactor = 4;

    // Ids per merge transaction in idle time: a few milliseconds, the longest a request that arrives meanwhile waits.
    private const int IdleMergeChunk = 1000;

    // interactions in a range through interactions_second: the same expression as the index, so SQLite uses it
    // (ORDER BY that expression then ts sorts one second at a time).
    private const string SecondRange = "ts / 1000000 BETWEEN $from_second AND $to_second AND ts >= $from AND ts < $to";
    private const string TsRange = "ts >= $from AND ts < $to";

    private readonly SqliteVigilStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly int _busyTimeoutMs;

    // One writer: the connection and its prepared commands are used only while _writeLock is held.
    // The semaphore is deliberately never disposed: a caller still waiting on it at dispose time
    // then gets an ObjectDisposedException below instead of waiting forever.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteIdTail _tail;
    private readonly StoredTraceIds? _filter;
    private readonly CancellationTokenSource _closing = new();
    private Writer? _writer;
    private SqliteCheckpointer? _checkpointer;
    private SqliteDatabaseFile? _databaseFile;
    private long _lastSeq;
    private volatile bool _initialized;
    private bool _idleMerges;
    private volatile bool _disposed;

    /// <summary>Opens (on first use) or creates <c>vigil.db</c> in <paramref name="dataDirectory"/>, creating the directory if missing.</summary>
    /// <param name="dataDirectory">The directory that holds the database file (and its -wal and -shm files).</param>
    /// <param name="options">Durability and tuning; defaults when null.</param>
    /// <param name="timeProvider">The clock for records that carry no time of their own; the system clock when null.</param>
    public SqliteVigilStore(string dataDirectory, SqliteVigilStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _options = options ?? new SqliteVigilStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BusyTimeout, TimeSpan.Zero, nameof(options));
        if (_options.PageSize is < 512 or > 65536 || !int.IsPow2(_options.PageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.PageSize, "PageSize must be a power of two from 512 to 65536.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.CheckpointInterval, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.IdMergeThreshold, 1, nameof(options));
        _tail = new SqliteIdTail(_options.IdMergeThreshold);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.TraceIdFilterBytes, nameof(options));
        _filter = _options.TraceIdFilterBytes > 0 ? new StoredTraceIds(_options.TraceIdFilterBytes) : null;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _busyTimeoutMs = (int)Math.Min(int.MaxValue, _options.BusyTimeout.TotalMilliseconds);

        Directory.CreateDirectory(dataDirectory);
        DatabasePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        _writeConnectionString = builder.ConnectionString;
        builder.Mode = SqliteOpenMode.ReadWrite;
        builder.Pooling = true;
        _readConnectionString = builder.ConnectionString;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            GetWriter();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(
        IReadOnlyList<InteractionRecord> records, CancellationToken cancellationToken = default)
    {
        StoreJson.CheckInteractions(records);
        var replaced = new InteractionRecord?[records.Count];
        if (records.Count == 0)
        {
            return replaced;
        }

        // Where each trace_id occurs first and last in the batch: only the last version is written, each later
        // occurrence replaced the one before it, and the first replaces what is stored (looked up below).
        var occurrences = new Dictionary<string, (int First, int Last)>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var traceId = records[i].TraceId;
            if (occurrences.TryGetValue(traceId, out var seen))
            {
                replaced[i] = records[seen.Last];
                occurrences[traceId] = (seen.First, i);
            }
            else
            {
                occurrences.Add(traceId, (i, i));
            }
        }

        // Serialized before taking the writer (the collector serializes on the request threads already).
        var json = new byte[]?[records.Count];
        var order = new int[occurrences.Count];
        var n = 0;
        foreach (var (_, (_, last)) in occurrences)
        {
            json[last] = records is SerializedInteractions serialized ? serialized.Utf8Json(last) : StoreJson.SerializeUtf8(records[last]);
            order[n++] = last;
        }

        Array.Sort(order);

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = GetWriter();
            var tail = _tail;
            var firstSeq = _lastSeq + 1;
            var oldSeqs = new List<long>();
            using var transaction = writer.Connection.BeginTransaction();

            // The stored versions of the batch's trace ids: the newest rows' ids are in memory (the tail), the others
            // in interaction_ids, probed in one statement (the ids go in as a JSON array) and only for ids not in the tail.
            List<string>? probe = null;
            foreach (var (traceId, (first, _)) in occurrences)
            {
                if (tail.TryGetSeqOnWriter(traceId, out var seq))
                {
                    writer.SelectBySeq.Transaction = transaction;
                    writer.SelectBySeqSeq.Value = seq;
                    if (writer.SelectBySeq.ExecuteScalar() is string stored)
                    {
                        replaced[first] = StoreJson.Interaction(stored);
                        oldSeqs.Add(seq);
                    }
                }
                else if (_filter?.MayContain(traceId) != false)
                {
                    (probe ??= new List<string>(occurrences.Count)).Add(traceId);
                }
            }

            if (probe is not null)
            {
                writer.SelectStored.Transaction = transaction;
                writer.SelectStoredIds.Value = writer.JsonArray(probe);
                using var reader = writer.SelectStored.ExecuteReader();
                while (reader.Read())
                {
                    replaced[occurrences[reader.GetString(0)].First] = StoreJson.Interaction(reader.GetString(2));
                    oldSeqs.Add(reader.GetInt64(1));
                }
            }

            // A repeat replaces: its old row goes, the new one is appended (its id entry is then the tail's).
            writer.DeleteBySeq.Transaction = transaction;
            foreach (var seq in oldSeqs)
            {
                writer.DeleteBySeqSeq.Value = seq;
                writer.DeleteBySeq.ExecuteNonQuery();
            }

            writer.InsertInteraction.Transaction = transaction;
            var seqNow = firstSeq;
            foreach (var i in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.InsertInteractionSeq.Value = seqNow++;
                writer.InsertInteractionId.Value = records[i].TraceId;
                writer.InsertInteractionTs.Value = StoreTime.ToUnixMicroseconds(records[i].Timestamp);
                writer.InsertInteractionJson.Value = json[i]!;
                writer.InsertInteraction.ExecuteNonQuery();
            }

            // When nobody merges in idle time (see RunUpkeepAsync), or that falls behind, part of a due merge of the tail
            // rides along: a quarter more ids than this commit adds, so a merge of T ids ends before the tail has grown by 0.8 T.
            var chunk = !_idleMerges || tail.Count >= _options.IdMergeThreshold + (_options.IdMergeThreshold / 2)
                ? WriteMergeChunk(writer, transaction, Math.Max(order.Length + (order.Length / 4), 500))
                : ArraySegment<KeyValuePair<string, long>>.Empty;

            transaction.Commit();
            _lastSeq = seqNow - 1;
            tail.Set(order.Select((i, k) => (records[i].TraceId, firstSeq + k)));
            if (_filter is { } filter)
            {
                foreach (var i in order)
                {
                    filter.Add(records[i].TraceId);
                }
            }

            if (chunk.Count > 0)
            {
                tail.Merged(chunk);
            }

            _checkpointer?.OnCommitted();
        }
        finally
        {
            _writeLock.Release();
        }

        return replaced;
    }

    /// <inheritdoc />
    public bool UpkeepReady => _initialized && !_disposed && (_tail.MergeReady || _checkpointer?.RestartWanted == true);

    /// <inheritdoc />
    /// <remarks>
    /// Either the WAL's last checkpoint pass before it starts over (when the checkpointer asks for it), or a chunk of
    /// the trace-id tail merged into <c>interaction_ids</c> in a transaction of its own. Once this has been called,
    /// commits stop carrying merge chunks (unless the tail grows past 1.5 times the threshold) and the checkpointer
    /// stops taking the writer lock (unless three rounds in a row found no idle moment), so both happen while no
    /// request waits.
    /// </remarks>
    public async Task RunUpkeepAsync(CancellationToken cancellationToken = default)
    {
        _idleMerges = true;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = GetWriter();
            if (_checkpointer is { } checkpointer)
            {
                checkpointer.IdleRestarts = true;
                if (checkpointer.RestartWanted)
                {
                    checkpointer.RunWantedRestart(writer.Connection);
                    return;
                }
            }

            using var transaction = writer.Connection.BeginTransaction();
            var chunk = WriteMergeChunk(writer, transaction, IdleMergeChunk);
            transaction.Commit();
            if (chunk.Count > 0)
            {
                _tail.Merged(chunk);
                _checkpointer?.OnCommitted();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken = default) =>
        AppendAsync([.. AppendStamp.Feedback(records, _timeProvider)
            .Select(r => new Row(r.TraceId, StoreTime.ToUnixMicroseconds(r.Timestamp!.Value), StoreJson.SerializeUtf8(r)))],
            static w => w.InsertFeedback, cancellationToken);

    /// <inheritdoc />
    public Task AddEvaluationsAsync(IReadOnlyList<EvaluationRecord> records, CancellationToken cancellationToken = default) =>
        AppendAsync([.. AppendStamp.Evaluations(records, _timeProvider)
            .Select(r => new Row(r.TraceId, StoreTime.ToUnixMicroseconds(r.EvaluatedAt!.Value), StoreJson.SerializeUtf8(r)))],
            static w => w.InsertEvaluation, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<InteractionRecord> ReadInteractionsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadRangeAsync("interactions", SecondRange, "ts / 1000000, ts, seq", from, to, StoreJson.Interaction, static r => r.Timestamp, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<FeedbackRecord> ReadFeedbackAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadRangeAsync("feedback", TsRange, "ts, id", from, to, StoreJson.Feedback, static r => r.Timestamp!.Value, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EvaluationRecord> ReadEvaluationsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadRangeAsync("evaluations", TsRange, "ts, id", from, to, StoreJson.Evaluation, static r => r.EvaluatedAt!.Value, cancellationToken);

    /// <inheritdoc />
    public async Task<InteractionRecord?> GetInteractionAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        // The tail names the newest rows; interaction_ids the older ones. A repeat committed between the lookup and
        // the read deletes the row looked up, so a miss looks again (the repeat's row is then in the tail).
        for (var attempt = 0; ; attempt++)
        {
            if (_tail.TryGetSeq(traceId, out var seq))
            {
                command.CommandText = "SELECT json FROM interactions WHERE seq = $seq";
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$seq", seq);
            }
            else
            {
                command.CommandText = "SELECT i.json FROM interaction_ids x JOIN interactions i ON i.seq = x.seq WHERE x.trace_id = $id";
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$id", traceId);
            }

            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json)
            {
                return StoreJson.Interaction(json);
            }

            if (attempt == 2)
            {
                return null;
            }
        }
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
        var window = StoreTime.Window(from, to);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        // SQLite has no decimal type (json_extract would give a double), so the sum is taken here from
        // the number's JSON text, exactly. Rows in a bound's partial microsecond are decided on the record.
        command.CommandText = $"""
            SELECT json -> '$.cost_usd', CASE WHEN ts < $inner_from OR ts >= $inner_to THEN json END
            FROM interactions WHERE {SecondRange}
            """;
        AddRange(command, window);
        command.Parameters.AddWithValue("$inner_from", window.InnerFrom);
        command.Parameters.AddWithValue("$inner_to", window.InnerTo);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var sum = 0m;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.IsDBNull(1))
            {
                var record = StoreJson.Interaction(reader.GetString(1));
                if (window.Contains(record.Timestamp))
                {
                    sum += record.CostUsd ?? 0m;
                }
            }
            else if (!reader.IsDBNull(0))
            {
                sum += decimal.Parse(reader.GetString(0), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Waits for a running write, then closes the writer and the idle pooled readers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _closing.Cancel();
            _checkpointer?.Dispose();
            _checkpointer = null;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _writeLock.Release();
        }

        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
        _databaseFile?.Dispose(); // last: closing it drops the process's locks on the file (see SqliteDatabaseFile)
    }

    /// <summary>Background checkpoint rounds completed so far; for tests.</summary>
    internal long CheckpointRounds => _checkpointer?.Rounds ?? 0;

    /// <summary>Whether the trace-id filter holds the ids stored before start (then new ids skip the index probe); for tests.</summary>
    internal bool TraceIdFilterComplete => _filter?.IsComplete ?? false;

    /// <summary>Background checkpoint rounds that had to pause the writer; for tests.</summary>
    internal long CheckpointLockedRounds => _checkpointer?.LockedRounds ?? 0;

    /// <summary>Syncs of the database file by the checkpoint thread (see <see cref="SqliteDatabaseFile"/>).</summary>
    internal long CheckpointDatabaseSyncs => _checkpointer?.DatabaseSyncs ?? 0;

    /// <summary>Last checkpoint passes the writer ran in idle time (see <see cref="RunUpkeepAsync"/>).</summary>
    internal long CheckpointWriterRestarts => _checkpointer?.WriterRestarts ?? 0;

    /// <summary>The value of a PRAGMA on the writer connection (per-connection settings such as synchronous); for tests.</summary>
    internal async Task<object?> QueryWriterPragmaAsync(string name)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            using var command = GetWriter().Connection.CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return command.ExecuteScalar();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Writer GetWriter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null)
        {
            // A writer whose tail failed to load is closed again: kept, the next call would have used it without the
            // tail or a checkpointer (the load starts over from a cleared tail).
            var writer = Writer.Open(_writeConnectionString, _options, _busyTimeoutMs);
            try
            {
                LoadTail(writer.Connection);
            }
            catch
            {
                writer.Dispose();
                throw;
            }

            _writer = writer;
            if (_filter is { } filter)
            {
                _ = Task.Run(() => FillFilter(filter, _closing.Token));
            }

            _databaseFile = SqliteDatabaseFile.TryOpen(DatabasePath);
            _checkpointer = new SqliteCheckpointer(_readConnectionString, _databaseFile, _writeLock, _options.CheckpointInterval, Math.Max(_options.WalSizeLimitBytes, 0), _busyTimeoutMs);
            _initialized = true;
        }

        return _writer;
    }

    // The ids of the rows above the merge watermark (not yet in interaction_ids), and the last seq given out.
    private void LoadTail(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(max(seq), 0), coalesce((SELECT value FROM store_state WHERE key = '{WatermarkKey}'), 0) FROM interactions";
        long watermark;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            _lastSeq = reader.GetInt64(0);
            watermark = reader.GetInt64(1);
        }

        _tail.Clear();
        command.CommandText = "SELECT trace_id, seq FROM interactions WHERE seq > $watermark";
        command.Parameters.AddWithValue("$watermark", watermark);
        var rows = new List<(string, long)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        _tail.Set(rows);
        foreach (var (traceId, _) in rows)
        {
            _filter?.Add(traceId);
        }
    }

    // The ids stored before start, read on a connection of its own while commits go on (they add theirs themselves).
    // On failure the filter stays incomplete, and every id is probed.
    private void FillFilter(StoredTraceIds filter, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT trace_id FROM interaction_ids";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                filter.Add(reader.GetString(0));
            }

            filter.MarkComplete();
        }
        catch (Exception ex) when (ex is SqliteException or IOException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMs}");
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task AppendAsync(Row[] rows, Func<Writer, Writer.Insert> insert, CancellationToken cancellationToken)
    {
        if (rows.Length == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = GetWriter();
            var command = insert(writer);
            using var transaction = writer.Connection.BeginTransaction();
            command.Command.Transaction = transaction;
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                command.TraceId.Value = (object?)row.TraceId ?? DBNull.Value;
                command.Ts.Value = row.Ts;
                command.Json.Value = row.Json;
                command.Command.ExecuteNonQuery();
            }

            transaction.Commit();
            _checkpointer?.OnCommitted();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // The next chunk of a due merge of the tail, written to interaction_ids (with the watermark if it ends the merge).
    private ArraySegment<KeyValuePair<string, long>> WriteMergeChunk(Writer writer, SqliteTransaction transaction, int max)
    {
        var chunk = _tail.NextChunk(max, _lastSeq, out var mergedUpTo);
        if (chunk.Count > 0)
        {
            writer.MergeId.Transaction = transaction;
            foreach (var (traceId, seq) in chunk)
            {
                writer.MergeIdId.Value = traceId;
                writer.MergeIdSeq.Value = seq;
                writer.MergeId.ExecuteNonQuery();
            }

            if (mergedUpTo > 0)
            {
                writer.SetWatermark.Transaction = transaction;
                writer.SetWatermarkValue.Value = mergedUpTo;
                writer.SetWatermark.ExecuteNonQuery();
            }
        }

        return chunk;
    }

    private async IAsyncEnumerable<T> ReadRangeAsync<T>(
        string table,
        string range,
        string orderBy,
        DateTimeOffset from,
        DateTimeOffset to,
        Func<string, T> parse,
        Func<T, DateTimeOffset> timestamp,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = StoreTime.Window(from, to);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ts, json FROM {table} WHERE {range} ORDER BY {orderBy}";
        AddRange(command, window);
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

    private static void AddRange(SqliteCommand command, MicrosecondWindow window)
    {
        command.Parameters.AddWithValue("$from", window.OuterFrom);
        command.Parameters.AddWithValue("$to", window.OuterTo);
        // Truncating division, as SQLite's: every ts in [from, to) has its second in [from_second, to_second]. (Only
        // SecondRange uses them; a parameter a statement does not name is not bound.)
        command.Parameters.AddWithValue("$from_second", window.OuterFrom / 1_000_000);
        command.Parameters.AddWithValue("$to_second", window.OuterTo / 1_000_000);
    }

    private async Task<IReadOnlyList<T>> ReadForTraceAsync<T>(
        string table, string traceId, Func<string, T> parse, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT json FROM {table} WHERE trace_id = $id ORDER BY ts, id";
        command.Parameters.AddWithValue("$id", traceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(parse(reader.GetString(0)));
        }

        return list;
    }

    /// <summary>The writer connection with its prepared commands and their reused parameters.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
        private readonly Utf8JsonWriter _arrayWriter;

        private Writer(SqliteConnection connection)
        {
            _arrayWriter = new Utf8JsonWriter(_buffer);
            Connection = connection;

            // The JSON travels as UTF-8 bytes (no UTF-16 string, no second encoding) and is stored as TEXT:
            // CAST(blob AS TEXT) takes the bytes as they are. (A BLOB would read as JSONB to SQLite's JSON functions.)
            SelectStored = Prepare(connection, """
                SELECT x.trace_id, x.seq, i.json FROM interaction_ids x JOIN interactions i ON i.seq = x.seq
                WHERE x.trace_id IN (SELECT value FROM json_each(CAST($ids AS TEXT)))
                """);
            SelectStoredIds = SelectStored.Parameters.Add("$ids", SqliteType.Blob);
            SelectBySeq = Prepare(connection, "SELECT json FROM interactions WHERE seq = $seq");
            SelectBySeqSeq = SelectBySeq.Parameters.Add("$seq", SqliteType.Integer);
            DeleteBySeq = Prepare(connection, "DELETE FROM interactions WHERE seq = $seq");
            DeleteBySeqSeq = DeleteBySeq.Parameters.Add("$seq", SqliteType.Integer);
            InsertInteraction = Prepare(connection, "INSERT INTO interactions (seq, trace_id, ts, json) VALUES ($seq, $id, $ts, CAST($json AS TEXT))");
            InsertInteractionSeq = InsertInteraction.Parameters.Add("$seq", SqliteType.Integer);
            InsertInteractionId = InsertInteraction.Parameters.Add("$id", SqliteType.Text);
            InsertInteractionTs = InsertInteraction.Parameters.Add("$ts", SqliteType.Integer);
            InsertInteractionJson = InsertInteraction.Parameters.Add("$json", SqliteType.Blob);
            MergeId = Prepare(connection, "INSERT OR REPLACE INTO interaction_ids (trace_id, seq) VALUES ($id, $seq)");
            MergeIdId = MergeId.Parameters.Add("$id", SqliteType.Text);
            MergeIdSeq = MergeId.Parameters.Add("$seq", SqliteType.Integer);
            SetWatermark = Prepare(connection, $"INSERT OR REPLACE INTO store_state (key, value) VALUES ('{WatermarkKey}', $value)");
            SetWatermarkValue = SetWatermark.Parameters.Add("$value", SqliteType.Integer);
            InsertFeedback = new Insert(connection, "feedback");
            InsertEvaluation = new Insert(connection, "evaluations");
            foreach (var command in Commands)
            {
                command.Prepare();
            }
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand SelectStored { get; }

        public SqliteParameter SelectStoredIds { get; }

        public SqliteCommand SelectBySeq { get; }

        public SqliteParameter SelectBySeqSeq { get; }

        public SqliteCommand DeleteBySeq { get; }

        public SqliteParameter DeleteBySeqSeq { get; }

        public SqliteCommand InsertInteraction { get; }

        public SqliteParameter InsertInteractionSeq { get; }

        public SqliteParameter InsertInteractionId { get; }

        public SqliteParameter InsertInteractionTs { get; }

        public SqliteParameter InsertInteractionJson { get; }

        public SqliteCommand MergeId { get; }

        public SqliteParameter MergeIdId { get; }

        public SqliteParameter MergeIdSeq { get; }

        public SqliteCommand SetWatermark { get; }

        public SqliteParameter SetWatermarkValue { get; }

        private SqliteCommand[] Commands => [SelectStored, SelectBySeq, DeleteBySeq, InsertInteraction, MergeId, SetWatermark];

        public Insert InsertFeedback { get; }

        public Insert InsertEvaluation { get; }

        public static Writer Open(string connectionString, SqliteVigilStoreOptions options, int busyTimeoutMs)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busyTimeoutMs}"));

                // Takes effect only on a new, empty file (before WAL mode is set); an existing file keeps its own.
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA page_size = {options.PageSize}"));

                // WAL: readers never block the writer nor the writer them. The mode is stored in the file.
                // (It stays "delete" on file systems without shared memory; durability holds either way.)
                Execute(connection, "PRAGMA journal_mode = WAL");

                // NORMAL is durable against a killed process in WAL mode; FULL is needed for power loss.
                Execute(connection, options.SynchronousFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {-Math.Max(options.WriterCacheKibibytes, 64)}"));
                // The WAL is checkpointed by SqliteCheckpointer on a connection of its own, never inside a commit here.
                Execute(connection, "PRAGMA wal_autocheckpoint = 0");
                // Cut back to a few times the limit, not to the limit: the WAL usually passes the limit before it starts
                // over, and a file cut on every start-over grows again each time (p99 at 50,000 records/s 100-130 ms
                // with the cut at the limit, 71-78 ms at four times it).
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA journal_size_limit = {Math.Max(options.WalSizeLimitBytes, 0) * WalFileLimitFactor}"));
                using (var transaction = connection.BeginTransaction())
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = """
                        SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'interactions')
                           AND NOT EXISTS (SELECT 1 FROM pragma_table_info('interactions') WHERE name = 'seq')
                        """;
                    var migrate = command.ExecuteScalar() is 1L;
                    if (migrate)
                    {
                        command.CommandText = MigrateFromTraceIdKey;
                        command.ExecuteNonQuery();
                    }

                    command.CommandText = Schema;
                    command.ExecuteNonQuery();
                    if (migrate)
                    {
                        command.CommandText = MigrateFromTraceIdKeyCopy;
                        command.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }

                return new Writer(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            foreach (var command in Commands)
            {
                command.Dispose();
            }

            InsertFeedback.Command.Dispose();
            InsertEvaluation.Command.Dispose();
            _arrayWriter.Dispose();
            Connection.Dispose();
        }

        /// <summary>The strings as a UTF-8 JSON array.</summary>
        public byte[] JsonArray(IEnumerable<string> values)
        {
            _buffer.ResetWrittenCount();
            _arrayWriter.Reset(_buffer);
            _arrayWriter.WriteStartArray();
            foreach (var value in values)
            {
                _arrayWriter.WriteStringValue(value);
            }

            _arrayWriter.WriteEndArray();
            _arrayWriter.Flush();
            return _buffer.WrittenSpan.ToArray();
        }

        /// <summary>A prepared append to the feedback or evaluations table.</summary>
        public sealed class Insert
        {
            public Insert(SqliteConnection connection, string table)
            {
                Command = Prepare(connection, $"INSERT INTO {table} (trace_id, ts, json) VALUES ($trace_id, $ts, CAST($json AS TEXT))");
                TraceId = Command.Parameters.Add("$trace_id", SqliteType.Text);
                Ts = Command.Parameters.Add("$ts", SqliteType.Integer);
                Json = Command.Parameters.Add("$json", SqliteType.Blob);
                Command.Prepare();
            }

            public SqliteCommand Command { get; }

            public SqliteParameter TraceId { get; }

            public SqliteParameter Ts { get; }

            public SqliteParameter Json { get; }
        }

        private static SqliteCommand Prepare(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }

        private static void Execute(SqliteConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>An appended feedback or evaluation, ready to bind.</summary>
    private readonly record struct Row(string? TraceId, long Ts, byte[] Json);
}
