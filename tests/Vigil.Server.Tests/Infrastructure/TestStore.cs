using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>
/// The store a collector under test runs on, empty and of its own for each test (a new temporary directory for
/// SQLite, a new schema for PostgreSQL), removed again when the test is done.
/// </summary>
public abstract class TestStore : IAsyncDisposable
{
    /// <summary>The SQLite directory (also set for PostgreSQL, where it stays unused).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "vigil-server-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The PostgreSQL connection string (search path on the test's schema), or null for SQLite.</summary>
    public string? ConnectionString { get; protected set; }

    /// <summary>The <c>vigil serve</c> flags that select this store.</summary>
    public IReadOnlyList<string> ServeArguments => ConnectionString is null ? ["--data", DataDirectory] : ["--store", ConnectionString];

    /// <summary>Creates the empty database.</summary>
    public abstract Task CreateAsync();

    /// <summary>Points the collector's options at this store.</summary>
    public void ApplyTo(VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DataDirectory = DataDirectory;
        options.Store = ConnectionString;
    }

    /// <summary>Deletes the database.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        try
        {
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A killed collector may still be releasing the files; the temporary directory is left behind.
        }

        return ValueTask.CompletedTask;
    }
}
