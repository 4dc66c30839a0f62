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
    /// WAL size in pages (4 KiB) that makes a commit checkpoint it back into the database
    /// (<c>PRAGMA wal_autocheckpoint</c>). Default 16384 (64 MiB): a checkpoint copies each changed page once however
    /// often it changed since the last one, so fewer, larger checkpoints write much less than SQLite's default of
    /// 1000 pages when random trace ids spread inserts over the whole index.
    /// </summary>
    public int WalAutoCheckpointPages { get; set; } = 16384;
}
