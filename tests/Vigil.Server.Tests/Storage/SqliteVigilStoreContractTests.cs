using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>The store contract against <see cref="SqliteVigilStore"/>, in a fresh temporary directory per test.</summary>
public sealed class SqliteVigilStoreContractTests : VigilStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vigil-store-tests", Guid.NewGuid().ToString("N"));

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override IVigilStore OpenStore(TimeProvider timeProvider) => new SqliteVigilStore(_directory, timeProvider: timeProvider);

    protected override Task DeleteDatabaseAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
