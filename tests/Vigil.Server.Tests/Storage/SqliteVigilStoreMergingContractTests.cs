using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>
/// The store contract against <see cref="SqliteVigilStore"/> with a trace-id tail of 2: nearly every commit merges ids
/// into the database's index, so repeats meet ids in the tail, in a running merge and in the index.
/// </summary>
public sealed class SqliteVigilStoreMergingContractTests : VigilStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vigil-store-tests", Guid.NewGuid().ToString("N"));

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override IVigilStore OpenStore(TimeProvider timeProvider) =>
        new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { IdMergeThreshold = 2 }, timeProvider);

    protected override Task DeleteDatabaseAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
