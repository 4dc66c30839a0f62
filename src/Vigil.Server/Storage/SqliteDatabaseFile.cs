using Microsoft.Win32.SafeHandles;

namespace Vigil.Server.Storage;

/// <summary>
/// A handle on the database file for <see cref="SqliteCheckpointer"/> to fsync it outside the writer lock (Linux only).
/// Opened once and closed only after the store's writer and idle readers: on POSIX, closing any descriptor of a file drops
/// every fcntl lock the process holds on it, SQLite's included, so a handle opened and closed per sync would release them
/// under its feet. (A read still running when the store is disposed loses its lock at that moment: another process could
/// then take the file over; the store is closed at shutdown, after the requests.) It also holds a shared flock, which
/// SQLite does not use.
/// </summary>
internal sealed class SqliteDatabaseFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private SqliteDatabaseFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>Opens <paramref name="path"/> for syncing, or null where that is not possible (the checkpoints then sync as SQLite does).</summary>
    public static SqliteDatabaseFile? TryOpen(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null; // measured on Linux only (macOS's FlushToDisk is a full flush of the drive's cache, dearer than SQLite's)
        }

        try
        {
            return new SqliteDatabaseFile(File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the file's pages from the OS cache to the disk (fsync); false if that failed (SQLite's own sync in the WAL's last pass then reports it).</summary>
    public bool Sync()
    {
        try
        {
            RandomAccess.FlushToDisk(_handle);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // the last pass syncs again, and fails the checkpoint if the disk does
        }
    }

    public void Dispose() => _handle.Dispose();
}
