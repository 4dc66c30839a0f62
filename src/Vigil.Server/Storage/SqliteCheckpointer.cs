using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vigil.Server.Storage;

/// <summary>
/// Moves WAL checkpoints off the writer. SQLite's automatic checkpoint runs inside the commit that crosses the
/// threshold, so one commit in thousands stalled for hundreds of milliseconds while it copied the WAL back into the
/// database, and every request queued behind it waited too (the p99 of ingest). Here a thread of its own
/// checkpoints on its own connection, in two phases:
/// <list type="number">
/// <item>a PASSIVE checkpoint without the writer lock copies everything committed so far while commits go on;</item>
/// <item>a second PASSIVE checkpoint under the writer lock copies only what was committed during the first, so the
/// WAL is then fully copied and the writer's next transaction starts it over from the beginning. Without this
/// the WAL would never be fully copied under steady load, and would grow without bound.</item>
/// </list>
/// Durability is unchanged: a commit is in the WAL when it returns, checkpointed or not.
/// </summary>
internal sealed partial class SqliteCheckpointer : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock;
    private readonly TimeSpan _interval;
    private readonly int _busyTimeoutMs;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _committed = new(false);
    private readonly CancellationTokenSource _stop = new();
    private long _rounds;

    public SqliteCheckpointer(string connectionString, SemaphoreSlim writeLock, TimeSpan interval, int busyTimeoutMs)
    {
        _connectionString = connectionString;
        _writeLock = writeLock;
        _interval = interval;
        _busyTimeoutMs = busyTimeoutMs;
        _thread = new Thread(Run) { IsBackground = true, Name = "Vigil SQLite checkpoint" };
        _thread.Start();
    }

    /// <summary>Checkpoint rounds completed (for tests and diagnostics).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>The last failure of a round, if any (the next round tries again).</summary>
    public Exception? LastError { get; private set; }

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
                    Checkpoint(connection);
                    var underLock = false;
                    try
                    {
                        _writeLock.Wait(_stop.Token);
                        underLock = true;
                        Checkpoint(connection);
                    }
                    finally
                    {
                        if (underLock)
                        {
                            _writeLock.Release();
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

    private static void Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
        }
    }
}
