namespace Vigil.Server.Tests.Infrastructure;

/// <summary>The embedded SQLite store in a fresh temporary directory.</summary>
public sealed class SqliteTestStore : TestStore
{
    public override Task CreateAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        return Task.CompletedTask;
    }

    public override string ToString() => "SQLite";
}
