using Microsoft.Win32.SafeHandles;

namespace Vigil.Server.Storage;

/// <summary>
/// A handle on the database file for <see cref="SqliteCheckpointer"/> to fsync it outside the writer lock. Opened once and
/// closed only after the store's connections: on POSIX, closing any descriptor of a file drops every fcntl lock the
/// process holds on it, SQLite's included, so a handle opened and closed per sync would release them under its feet.
/// </summary>
internal sealed class SqliteDatabaseFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private SqliteDatabaseFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>Opens <paramref name="path"/> for syncing, or null where that is not possible (the checkpoints then sync as SQLite does).</summary>
    public static SqliteDatabaseFile? TryOpen(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null; // measured on Linux only; elsewhere the checkpoints sync as SQLite does
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

    /// <summary>Writes the file's pages from the OS cache to the disk (fsync); false if that failed, which is left to SQLite's own sync to report.</summary>
    public bool Sync()
    {
        try
        {
            RandomAccess.FlushToDisk(_handle);
            return true;
        }
        catch (IOException)
        {
            return false; // the last pass syncs again, and fails the checkpoint if the disk does
        }
    }

    public void Dispose() => _handle.Dispose();
}
