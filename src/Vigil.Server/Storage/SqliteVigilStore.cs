using Microsoft.Data.Sqlite;
using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// The embedded store: one SQLite file (<c>vigil.db</c>) in the data directory, in WAL mode.
/// Writes go through one connection, one at a time, each call in one transaction with prepared
/// statements (<see cref="SqliteWriter"/>); reads use pooled connections of their own and see the last committed
/// state (<see cref="SqliteReads"/>). The tables and their migrations are <see cref="SqliteSchema"/>'s.
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

    private readonly SqliteWriter _writer;
    private readonly SqliteReads _reads;

    /// <summary>Opens (on first use) or creates <c>vigil.db</c> in <paramref name="dataDirectory"/>, creating the directory if missing.</summary>
    /// <param name="dataDirectory">The directory that holds the database file (and its -wal and -shm files).</param>
    /// <param name="options">Durability and tuning; defaults when null.</param>
    /// <param name="timeProvider">The clock for records that carry no time of their own; the system clock when null.</param>
    public SqliteVigilStore(string dataDirectory, SqliteVigilStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        options ??= new SqliteVigilStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero, nameof(options));
        if (options.PageSize is < 512 or > 65536 || !int.IsPow2(options.PageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PageSize, "PageSize must be a power of two from 512 to 65536.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CheckpointInterval, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IdMergeThreshold, 1, nameof(options));
        var tail = new SqliteIdTail(options.IdMergeThreshold);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TraceIdFilterBytes, nameof(options));
        var filter = options.TraceIdFilterBytes > 0 ? new StoredTraceIds(options.TraceIdFilterBytes) : null;
        var busyTimeoutMs = (int)Math.Min(int.MaxValue, options.BusyTimeout.TotalMilliseconds);

        Directory.CreateDirectory(dataDirectory);
        DatabasePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        var writeConnectionString = builder.ConnectionString;
        builder.Mode = SqliteOpenMode.ReadWrite;
        builder.Pooling = true;
        var readConnectionString = builder.ConnectionString;
        _writer = new SqliteWriter(DatabasePath, writeConnectionString, readConnectionString, options, busyTimeoutMs, tail, filter, timeProvider ?? TimeProvider.System);
        _reads = new SqliteReads(readConnectionString, busyTimeoutMs, tail, _writer);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public bool UpkeepReady => _writer.UpkeepReady;

    /// <summary>Background checkpoint rounds completed so far; for tests.</summary>
    internal long CheckpointRounds => _writer.CheckpointRounds;

    /// <summary>Whether the trace-id filter holds the ids stored before start (then new ids skip the index probe); for tests.</summary>
    internal bool TraceIdFilterComplete => _writer.TraceIdFilterComplete;

    /// <summary>Background checkpoint rounds that had to pause the writer; for tests.</summary>
    internal long CheckpointLockedRounds => _writer.CheckpointLockedRounds;

    /// <summary>Syncs of the database file by the checkpoint thread (see <see cref="SqliteDatabaseFile"/>).</summary>
    internal long CheckpointDatabaseSyncs => _writer.CheckpointDatabaseSyncs;

    /// <summary>Last checkpoint passes the writer ran in idle time (see <see cref="RunUpkeepAsync"/>).</summary>
    internal long CheckpointWriterRestarts => _writer.CheckpointWriterRestarts;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _writer.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(
        IReadOnlyList<InteractionRecord> records, CancellationToken cancellationToken = default) =>
        _writer.UpsertInteractionsAsync(records, [], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(
        IReadOnlyList<InteractionRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken = default) =>
        _writer.UpsertInteractionsAsync(records, keys, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Either the WAL's last checkpoint pass before it starts over (when the checkpointer asks for it), or a chunk of
    /// the trace-id tail merged into <c>interaction_ids</c> in a transaction of its own. Once this has been called,
    /// commits stop carrying merge chunks (unless the tail grows past 1.5 times the threshold) and the checkpointer
    /// stops taking the writer lock (unless three rounds in a row found no idle moment), so both happen while no
    /// request waits.
    /// </remarks>
    public Task RunUpkeepAsync(CancellationToken cancellationToken = default) => _writer.RunUpkeepAsync(cancellationToken);

    /// <inheritdoc />
    public Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken = default) =>
        _writer.AddFeedbackAsync(records, [], cancellationToken);

    /// <inheritdoc />
    public Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken = default) =>
        _writer.AddFeedbackAsync(records, keys, cancellationToken);

    /// <inheritdoc />
    public Task AddEvaluationsAsync(IReadOnlyList<EvaluationRecord> records, CancellationToken cancellationToken = default) =>
        _writer.AddEvaluationsAsync(records, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<InteractionRecord> ReadInteractionsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _reads.ReadInteractionsAsync(from, to, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<FeedbackRecord> ReadFeedbackAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _reads.ReadFeedbackAsync(from, to, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EvaluationRecord> ReadEvaluationsAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _reads.ReadEvaluationsAsync(from, to, cancellationToken);

    /// <inheritdoc />
    public Task<InteractionRecord?> GetInteractionAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        return _reads.GetInteractionAsync(traceId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FeedbackRecord>> GetFeedbackForTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        return _reads.GetFeedbackForTraceAsync(traceId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsForTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        return _reads.GetEvaluationsForTraceAsync(traceId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<decimal> SumCostAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _reads.SumCostAsync(from, to, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> FindIdempotencyKeysAsync(
        IdempotencyScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return _reads.FindIdempotencyKeysAsync(scope, keys, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => _reads.PingAsync(cancellationToken);

    /// <summary>Waits for a running write, then closes the writer and the idle pooled readers.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>The value of a PRAGMA on the writer connection (per-connection settings such as synchronous); for tests.</summary>
    internal Task<object?> QueryWriterPragmaAsync(string name) => _writer.QueryPragmaAsync(name);
}
