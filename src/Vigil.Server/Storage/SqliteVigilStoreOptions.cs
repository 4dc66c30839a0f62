namespace Vigil.Server.Storage;

/// <summary>Tuning of <see cref="SqliteVigilStore"/>. The defaults suit the collector.</summary>
public sealed class SqliteVigilStoreOptions
{
    /// <summary>
    /// When true, <c>PRAGMA synchronous = FULL</c>: every commit is fsynced, so an acknowledged write also
    /// survives power loss or an OS crash, at a cost in write throughput. Default false,
    /// <c>synchronous = NORMAL</c>: in WAL mode a commit is written to the WAL file before it returns,
    /// which survives a killed process (SIGKILL, OOM kill, crash) but not power loss.
    /// </summary>
    public bool SynchronousFull { get; set; }

    /// <summary>How long a connection waits for a lock held by another before failing (<c>PRAGMA busy_timeout</c>). Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Page cache of the writer connection in KiB (<c>PRAGMA cache_size = -N</c>), an upper bound. Default 131072
    /// (128 MiB): enough to keep the trace_id index of a few million interactions in memory, whose pages random
    /// trace ids touch all over.
    /// </summary>
    public int WriterCacheKibibytes { get; set; } = 128 * 1024;

    /// <summary>
    /// Page size of a NEW database file in bytes (<c>PRAGMA page_size</c>, a power of two 512–65536). Default 16384:
    /// random trace ids dirty about one index page per record, and larger pages hold more keys, so a commit dirties
    /// fewer pages per record. An existing file keeps the page size it was created with.
    /// </summary>
    public int PageSize { get; set; } = 16384;

    /// <summary>
    /// How often a background thread checkpoints the WAL back into the database while writes go on. Default 1 s.
    /// The WAL holds about this much time of writes; the writer itself never checkpoints (see <see cref="SqliteCheckpointer"/>).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Size in bytes past which the WAL's last checkpoint pass runs with the writer paused (by the idle writer itself in
    /// the collector), copying what came in since the pass before, so the WAL starts over. When it starts over, the file
    /// is cut back to four times this (<c>PRAGMA journal_size_limit</c>). Default 64 MiB.
    /// </summary>
    public long WalSizeLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How many trace ids of new interactions are kept in memory before they are merged, in key order, into the
    /// database's trace_id index (<c>interaction_ids</c>). Default 200,000 (tens of MiB at most; the tail holds up to
    /// about twice this). Larger values merge more keys per index page, which matters with random trace ids and large
    /// tables; at least 1.
    /// </summary>
    public int IdMergeThreshold { get; set; } = 200_000;

    /// <summary>
    /// Size in bytes of the in-memory filter (a Bloom filter) of the trace ids stored, with which new ids skip the index
    /// lookup for an earlier version. Default 16 MiB (about 0.5 % false "maybe" at 10 million ids; more ids only
    /// make it answer "maybe" more often). 0 turns it off.
    /// </summary>
    public int TraceIdFilterBytes { get; set; } = 16 * 1024 * 1024;
}
