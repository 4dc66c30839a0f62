using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vigil.Server.Storage;

/// <summary>
/// Moves WAL checkpoints off the writer. SQLite's automatic checkpoint runs inside the commit that crosses the
/// threshold, so one commit in thousands stalled for hundreds of milliseconds while it copied the WAL back into the
/// database, and every request queued behind it waited too (the p99 of ingest). Here a thread of its own
/// checkpoints on its own connection, each round:
/// <list type="number">
/// <item>PASSIVE checkpoints without the writer lock, up to a few in a row, each copying what was committed during the
/// one before, until one finds little new; if the writer then begins a transaction with the whole WAL copied, it
/// starts the WAL over by itself;</item>
/// <item>under steady commits that moment never comes (each pass ends with newer commits behind it; the WAL grew to
/// 2 GB in a 35 s load test), so once the WAL is past the size limit a last PASSIVE checkpoint runs under the writer
/// lock, copying just what came in since the previous pass, and the writer's next transaction starts the WAL over.
/// Taking the lock for the whole copy instead stalled a commit for 80–130 ms each second (the copy and two fsyncs).</item>
/// </list>
/// SQLite fsyncs the database file only after a pass that copied the whole WAL, which under steady commits is that last
/// pass: it then waited for every page the unlocked passes had copied since the one before (~50 ms for 64 MiB, with
/// the writer paused). So after its unlocked passes this thread fsyncs the database file itself (through a handle the
/// store keeps open, see <see cref="SqliteDatabaseFile"/>), and the last pass syncs only what it copied.
/// Durability is unchanged: a commit is in the WAL when it returns, checkpointed or not.
/// </summary>
internal sealed partial class SqliteCheckpointer : IDisposable
{
    // Unlocked checkpoints per round before the lock is considered; each copies what came in during the one before.
    private const int MaxUnlockedPasses = 4;

    // A pass that found at most this many new frames has caught up: the next would copy as little.
    private const long CaughtUpFrames = 64;

    // Rounds that ask the writer for the last pass before one takes the lock itself.
    private const int MaxRoundsWanted = 3;
    private readonly string _connectionString;
    private readonly SqliteDatabaseFile? _databaseFile;
    private readonly SemaphoreSlim _writeLock;
    private readonly TimeSpan _interval;
    private readonly long _walLimitBytes;
    private readonly int _busyTimeoutMs;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _committed = new(false);
    private readonly CancellationTokenSource _stop = new();
    private long _rounds;
    private long _lockedRounds;
    private long _writerRestarts;
    private long _databaseSyncs;
    private volatile bool _restartWanted;
    private volatile int _roundsWanted;

    public SqliteCheckpointer(string connectionString, SqliteDatabaseFile? databaseFile, SemaphoreSlim writeLock, TimeSpan interval, long walLimitBytes, int busyTimeoutMs)
    {
        _databaseFile = databaseFile;
        _walLimitBytes = walLimitBytes;
        _connectionString = connectionString;
        _writeLock = writeLock;
        _interval = interval;
        _busyTimeoutMs = busyTimeoutMs;
        _thread = new Thread(Run) { IsBackground = true, Name = "Vigil SQLite checkpoint" };
        _thread.Start();
    }

    /// <summary>Checkpoint rounds completed (for tests and diagnostics).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>Rounds that had to take the writer lock (for tests and diagnostics).</summary>
    public long LockedRounds => Interlocked.Read(ref _lockedRounds);

    /// <summary>Last passes the writer ran itself in idle time (for tests and diagnostics).</summary>
    public long WriterRestarts => Interlocked.Read(ref _writerRestarts);

    /// <summary>Syncs of the database file this thread made after its unlocked passes (for tests and diagnostics).</summary>
    public long DatabaseSyncs => Interlocked.Read(ref _databaseSyncs);

    /// <summary>The last failure of a round, if any (the next round tries again).</summary>
    public Exception? LastError { get; private set; }

    /// <summary>
    /// When true (the store's writer runs upkeep in idle time), a round that needs the last pass under the writer lock
    /// asks the writer for it (<see cref="RestartWanted"/>) instead of taking the lock while requests may be queued.
    /// </summary>
    public bool IdleRestarts { get; set; }

    /// <summary>True when the WAL is past its limit and the writer should run <see cref="RunWantedRestart"/>.</summary>
    public bool RestartWanted => _restartWanted;

    /// <summary>
    /// The last pass, on the writer's own connection while it holds its lock: copies what came in since the last
    /// unlocked pass, so the writer's next transaction starts the WAL over.
    /// </summary>
    public void RunWantedRestart(SqliteConnection writerConnection)
    {
        ArgumentNullException.ThrowIfNull(writerConnection);
        if (Checkpoint(writerConnection) < 0)
        {
            return; // the background thread is checkpointing right now: asked again next round
        }

        _restartWanted = false;
        _roundsWanted = 0;
        Interlocked.Increment(ref _writerRestarts);
    }

    /// <summary>Tells the checkpointer that a transaction committed; cheap, called by the writer.</summary>
    public void OnCommitted() => _committed.Set();

    public void Dispose()
    {
        _stop.Cancel();
        _committed.Set();
        _thread.Join();
        _committed.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _committed.Wait();
                if (_stop.Token.WaitHandle.WaitOne(_interval))
                {
                    break;
                }

                _committed.Reset();
                try
                {
                    connection ??= Open();
                    var frameBytes = PageSize(connection) + 24;
                    // Each pass copies what was committed during the one before; stop once one found little new.
                    var log = Checkpoint(connection);
                    for (var pass = 1; pass < MaxUnlockedPasses && log >= 0; pass++)
                    {
                        var next = Checkpoint(connection);
                        var added = next - log;
                        log = next;
                        if (added <= CaughtUpFrames)
                        {
                            break;
                        }
                    }

                    if (log < 0)
                    {
                        // Busy (the writer is running the last pass itself): nothing to decide this round.
                        Interlocked.Increment(ref _rounds);
                        continue;
                    }

                    if (_databaseFile?.Sync() == true)
                    {
                        Interlocked.Increment(ref _databaseSyncs);
                    }

                    // The WAL starts over only when the writer begins a transaction with all of it copied, which under
                    // steady commits almost never happens by itself (a pass always ends with newer commits behind it).
                    if (log * frameBytes <= _walLimitBytes)
                    {
                        _restartWanted = false;
                        _roundsWanted = 0;
                    }
                    else if (IdleRestarts && _roundsWanted++ < MaxRoundsWanted)
                    {
                        // The writer does the last pass itself when no request is waiting (see RunWantedRestart); only
                        // if it never finds the time does this round take its lock.
                        _restartWanted = true;
                    }
                    else
                    {
                        _roundsWanted = 0;
                        var underLock = false;
                        try
                        {
                            _writeLock.Wait(_stop.Token);
                            underLock = true;
                            Checkpoint(connection);
                            _restartWanted = false;
                            Interlocked.Increment(ref _lockedRounds);
                        }
                        finally
                        {
                            if (underLock)
                            {
                                _writeLock.Release();
                            }
                        }
                    }

                    Interlocked.Increment(ref _rounds);
                    LastError = null;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SqliteException ex)
                {
                    // E.g. the database is busy or the disk is full: the commits are safe in the WAL; try next round.
                    LastError = ex;
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMs}");
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // A passive checkpoint; the frames in the WAL (-1 when another checkpoint is running, or the file is not in WAL mode).
    private static long Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    private static long PageSize(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size";
        return command.ExecuteScalar() is long size ? size : 4096;
    }
}
