using Vigil.Records;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>What is particular to the SQLite store: its file, its journal and its life cycle.</summary>
public sealed class SqliteVigilStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vigil-store-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task InitializeAsync_MissingDirectory_CreatesItAndTheDatabaseFile()
    {
        var nested = Path.Combine(_directory, "a", "b");
        await using var store = new SqliteVigilStore(nested);

        await store.InitializeAsync();

        Assert.Equal(Path.Combine(nested, "vigil.db"), store.DatabasePath);
        Assert.True(File.Exists(store.DatabasePath));
    }

    [Theory]
    [InlineData(false, 1L)]
    [InlineData(true, 2L)]
    public async Task InitializeAsync_NewDatabase_WriterUsesWalBusyTimeoutAndTheChosenSynchronousLevel(bool synchronousFull, long expectedSynchronous)
    {
        await using var store = new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { SynchronousFull = synchronousFull, BusyTimeout = TimeSpan.FromSeconds(3) });

        await store.InitializeAsync();

        Assert.Equal("wal", await store.QueryWriterPragmaAsync("journal_mode"));
        Assert.Equal(expectedSynchronous, await store.QueryWriterPragmaAsync("synchronous"));
        Assert.Equal(3000L, await store.QueryWriterPragmaAsync("busy_timeout"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_BeforeInitializeAsync_CreatesTheSchemaItself()
    {
        await using var store = new SqliteVigilStore(_directory);

        await store.UpsertInteractionsAsync([Record("a")]);

        Assert.NotNull(await store.GetInteractionAsync("a"));
    }

    [Fact]
    public async Task ReadInteractionsAsync_BeforeInitializeAsync_ReturnsNothing()
    {
        await using var store = new SqliteVigilStore(_directory);

        await foreach (var record in store.ReadInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            Assert.Fail($"Unexpected record {record.TraceId}.");
        }

        Assert.True(await store.PingAsync());
    }

    [Fact]
    public async Task DisposeAsync_CalledTwice_ThenCallsThrowObjectDisposed()
    {
        var store = new SqliteVigilStore(_directory);
        await store.InitializeAsync();

        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.UpsertInteractionsAsync([Record("a")]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetInteractionAsync("a"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_ReaderHoldingASnapshot_DoesNotBlockTheWriter()
    {
        await using var store = new SqliteVigilStore(_directory);
        await store.UpsertInteractionsAsync(Enumerable.Range(0, 100).Select(i => Record($"r{i}")).ToList());

        var seen = 0;
        await foreach (var record in store.ReadInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            if (seen++ == 0)
            {
                // WAL: the open read cursor keeps its snapshot while the writer commits.
                await store.UpsertInteractionsAsync([Record("during")]);
            }
        }

        Assert.Equal(100, seen);
        Assert.NotNull(await store.GetInteractionAsync("during"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_NullElementOrMissingTraceId_ThrowsArgumentException()
    {
        await using var store = new SqliteVigilStore(_directory);

        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertInteractionsAsync([Record("a"), null!]));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertInteractionsAsync([Record("a") with { TraceId = "" }]));
        Assert.Null(await store.GetInteractionAsync("a"));
    }

    [Fact]
    public async Task InitializeAsync_NewDatabase_Uses16KiBPagesAndLeavesCheckpointsToTheBackground()
    {
        await using var store = new SqliteVigilStore(_directory);

        await store.InitializeAsync();

        Assert.Equal(16384L, await store.QueryWriterPragmaAsync("page_size"));
        Assert.Equal(0L, await store.QueryWriterPragmaAsync("wal_autocheckpoint"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_SteadyWrites_BackgroundCheckpointsKeepTheWalBoundedAndLoseNothing()
    {
        // A WAL never fully copied back would grow with every commit: 100 commits of 500 random ids write ~50 MB to it.
        var options = new SqliteVigilStoreOptions { CheckpointInterval = TimeSpan.FromMilliseconds(20), WalSizeLimitBytes = 1024 * 1024 };
        await using var store = new SqliteVigilStore(_directory, options);
        var written = 0;
        for (var batch = 0; batch < 100; batch++)
        {
            var records = Enumerable.Range(0, 500).Select(_ => Record(Guid.NewGuid().ToString("N"))).ToList();
            await store.UpsertInteractionsAsync(batch % 2 == 0 ? records : SerializedInteractions.Of(records));
            written += records.Count;
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (store.CheckpointRounds < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await store.UpsertInteractionsAsync([Record("after-checkpoints")]);

        Assert.True(store.CheckpointRounds >= 3, $"only {store.CheckpointRounds} checkpoint rounds");
        var wal = new FileInfo(store.DatabasePath + "-wal");
        Assert.True(wal.Length < 16 * 1024 * 1024, $"the WAL is {wal.Length} bytes");
        var read = 0;
        await foreach (var _ in store.ReadInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            read++;
        }

        Assert.Equal(written + 1, read);
    }

    [Fact]
    public void Constructor_PageSizeNotAPowerOfTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { PageSize = 10000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { CheckpointInterval = TimeSpan.Zero }));
    }

    private static InteractionRecord Record(string traceId) => new()
    {
        TraceId = traceId,
        Timestamp = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Model = "m",
        Status = InteractionStatus.Success,
        LatencyMs = 1,
    };
}
