using Microsoft.Data.Sqlite;
using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// The one writer of <see cref="SqliteVigilStore"/>: the writer connection (<see cref="SqliteWriteCommands"/>), opened on
/// first use with the trace-id tail loaded and the checkpointer started, and every write, one at a time, each call in
/// one transaction: upserts of interactions, appends of feedback and evaluations, and the merges of the tail into
/// <c>interaction_ids</c> (riding along with commits, or as upkeep while no request waits).
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    // Ids per merge transaction in idle time: a few milliseconds, the longest a request that arrives meanwhile waits.
    private const int IdleMergeChunk = 1000;

    private readonly string _databasePath;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly SqliteVigilStoreOptions _options;
    private readonly int _busyTimeoutMs;
    private readonly TimeProvider _timeProvider;

    // One writer: the connection and its prepared commands are used only while _writeLock is held.
    // The semaphore is deliberately never disposed: a caller still waiting on it at dispose time
    // then gets an ObjectDisposedException below instead of waiting forever.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteIdTail _tail;
    private readonly StoredTraceIds? _filter;
    private readonly CancellationTokenSource _closing = new();
    private SqliteWriteCommands? _commands;
    private SqliteCheckpointer? _checkpointer;
    private SqliteDatabaseFile? _databaseFile;
    private long _lastSeq;
    private long _nextPrune;
    private volatile bool _initialized;
    private bool _idleMerges;
    private volatile bool _disposed;

    public SqliteWriter(
        string databasePath, string writeConnectionString, string readConnectionString, SqliteVigilStoreOptions options, int busyTimeoutMs,
        SqliteIdTail tail, StoredTraceIds? filter, TimeProvider timeProvider)
    {
        _databasePath = databasePath;
        _writeConnectionString = writeConnectionString;
        _readConnectionString = readConnectionString;
        _options = options;
        _busyTimeoutMs = busyTimeoutMs;
        _tail = tail;
        _filter = filter;
        _timeProvider = timeProvider;
    }

    /// <summary>True once the writer connection is open (the schema is then in place).</summary>
    public bool IsInitialized => _initialized;

    /// <summary>True when a piece of upkeep is ready (see <see cref="IStoreUpkeep.UpkeepReady"/>).</summary>
    public bool UpkeepReady => _initialized && !_disposed && (_tail.MergeReady || _checkpointer?.RestartWanted == true);

    /// <summary>Background checkpoint rounds completed so far.</summary>
    public long CheckpointRounds => _checkpointer?.Rounds ?? 0;

    /// <summary>Whether the trace-id filter holds the ids stored before start.</summary>
    public bool TraceIdFilterComplete => _filter?.IsComplete ?? false;

    /// <summary>Background checkpoint rounds that had to pause the writer.</summary>
    public long CheckpointLockedRounds => _checkpointer?.LockedRounds ?? 0;

    /// <summary>Syncs of the database file by the checkpoint thread.</summary>
    public long CheckpointDatabaseSyncs => _checkpointer?.DatabaseSyncs ?? 0;

    /// <summary>Last checkpoint passes the writer ran in idle time.</summary>
    public long CheckpointWriterRestarts => _checkpointer?.WriterRestarts ?? 0;

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the store is disposed.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteVigilStore));

    /// <summary>Opens the writer connection (and with it the schema) if it is not open yet.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            GetCommands();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>See <see cref="IVigilStore.UpsertInteractionsAsync(IReadOnlyList{InteractionRecord}, IReadOnlyList{IdempotencyKey}, CancellationToken)"/>.</summary>
    public async Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(
        IReadOnlyList<InteractionRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken)
    {
        StoreJson.CheckInteractions(records);
        IdempotencyKeys.CheckDistinct(keys);
        var replaced = new InteractionRecord?[records.Count];
        if (records.Count == 0 && keys.Count == 0)
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
            var writer = GetCommands();
            var tail = _tail;
            var firstSeq = _lastSeq + 1;
            var oldSeqs = new List<long>();
            using var transaction = writer.Connection.BeginTransaction();
            WriteKeys(writer, transaction, IdempotencyScope.Interactions, keys);

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

    /// <summary>See <see cref="SqliteVigilStore.RunUpkeepAsync"/>.</summary>
    public async Task RunUpkeepAsync(CancellationToken cancellationToken)
    {
        _idleMerges = true;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = GetCommands();
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

    /// <summary>Appends feedback records, and remembers <paramref name="keys"/>, in one transaction.</summary>
    public Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken)
    {
        IdempotencyKeys.CheckDistinct(keys);
        return AppendAsync([.. AppendStamp.Feedback(records, _timeProvider)
            .Select(r => new Row(r.TraceId, StoreTime.ToUnixMicroseconds(r.Timestamp!.Value), StoreJson.SerializeUtf8(r)))],
            static w => w.InsertFeedback, IdempotencyScope.Feedback, keys, cancellationToken);
    }

    /// <summary>Appends evaluation records in one transaction.</summary>
    public Task AddEvaluationsAsync(IReadOnlyList<EvaluationRecord> records, CancellationToken cancellationToken) =>
        AppendAsync([.. AppendStamp.Evaluations(records, _timeProvider)
            .Select(r => new Row(r.TraceId, StoreTime.ToUnixMicroseconds(r.EvaluatedAt!.Value), StoreJson.SerializeUtf8(r)))],
            static w => w.InsertEvaluation, null, [], cancellationToken);

    /// <summary>The value of a PRAGMA on the writer connection (per-connection settings such as synchronous).</summary>
    public async Task<object?> QueryPragmaAsync(string name)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            using var command = GetCommands().Connection.CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return command.ExecuteScalar();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Waits for a running write, then closes the writer, the checkpointer and the idle pooled read connections (the
    /// reads' and the checkpointer's share one pool), and last the database file held for the checkpointer's syncs.
    /// </summary>
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
            _commands?.Dispose();
            _commands = null;
        }
        finally
        {
            _writeLock.Release();
        }

        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
        _databaseFile?.Dispose(); // last: closing it drops the process's locks on the file (see SqliteDatabaseFile)
    }

    private SqliteWriteCommands GetCommands()
    {
        ThrowIfDisposed();
        if (_commands is null)
        {
            // A writer whose tail failed to load is closed again: kept, the next call would have used it without the
            // tail or a checkpointer (the load starts over from a cleared tail).
            var commands = SqliteWriteCommands.Open(_writeConnectionString, _options, _busyTimeoutMs);
            try
            {
                LoadTail(commands.Connection);
            }
            catch
            {
                commands.Dispose();
                throw;
            }

            _commands = commands;
            if (_filter is { } filter)
            {
                _ = Task.Run(() => FillFilter(filter, _closing.Token));
            }

            _databaseFile = SqliteDatabaseFile.TryOpen(_databasePath);
            _checkpointer = new SqliteCheckpointer(_readConnectionString, _databaseFile, _writeLock, _options.CheckpointInterval, Math.Max(_options.WalSizeLimitBytes, 0), _busyTimeoutMs);
            _initialized = true;
        }

        return _commands;
    }

    // The ids of the rows above the merge watermark (not yet in interaction_ids), and the last seq given out.
    private void LoadTail(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(max(seq), 0), coalesce((SELECT value FROM store_state WHERE key = '{SqliteSchema.WatermarkKey}'), 0) FROM interactions";
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

    private async Task AppendAsync(
        Row[] rows, Func<SqliteWriteCommands, SqliteWriteCommands.Insert> insert, IdempotencyScope? scope, IReadOnlyList<IdempotencyKey> keys,
        CancellationToken cancellationToken)
    {
        if (rows.Length == 0 && keys.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = GetCommands();
            var command = insert(writer);
            using var transaction = writer.Connection.BeginTransaction();
            if (scope is { } keyScope)
            {
                WriteKeys(writer, transaction, keyScope, keys);
            }

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

    // The request keys of the transaction (a key already there fails it), after the expired ones are pruned, if due.
    private void WriteKeys(SqliteWriteCommands writer, SqliteTransaction transaction, IdempotencyScope scope, IReadOnlyList<IdempotencyKey> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var now = StoreTime.ToUnixMicroseconds(_timeProvider.GetUtcNow());
        if (IdempotencyKeys.PruneBefore(now, ref _nextPrune) is { } before)
        {
            writer.PruneKeys.Transaction = transaction;
            writer.PruneKeysBefore.Value = before;
            writer.PruneKeys.ExecuteNonQuery();
        }

        writer.InsertKey.Transaction = transaction;
        writer.InsertKeyScope.Value = IdempotencyKeys.Name(scope);
        writer.InsertKeyCreatedAt.Value = now;
        foreach (var key in keys)
        {
            writer.InsertKeyKey.Value = key.Key;
            writer.InsertKeyAccepted.Value = key.Accepted;
            writer.InsertKey.ExecuteNonQuery();
        }
    }

    // The next chunk of a due merge of the tail, written to interaction_ids (with the watermark if it ends the merge).
    private ArraySegment<KeyValuePair<string, long>> WriteMergeChunk(SqliteWriteCommands writer, SqliteTransaction transaction, int max)
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

    /// <summary>An appended feedback or evaluation, ready to bind.</summary>
    private readonly record struct Row(string? TraceId, long Ts, byte[] Json);
}
