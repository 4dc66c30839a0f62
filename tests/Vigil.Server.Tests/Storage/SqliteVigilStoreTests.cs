using System.Buffers.Binary;
using Vigil.Records;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>What is particular to the SQLite store: its file, its journal and its life cycle.</summary>
public sealed class SqliteVigilStoreTests : IDisposable
{
    // A WAL that started over is cut back to four times its 1 MiB limit; one that never did holds every commit.
    private const long StartedOverWalBytes = 8L * 1024 * 1024;

    // However late the checkpoint thread gets its turn on a busy machine, the WAL starts over long before this (the old
    // bound, 32 MiB, held on a quiet one); a WAL that started over only now and then grows to hundreds of MiB.
    private const long LargestWalBytes = 128L * 1024 * 1024;

    // Where back-to-back writers give up if the WAL never starts over (about 400 MB of WAL frames).
    private const int MaxRandomIds = 400_000;

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

        // The WAL file is cut back to four times the start-over limit, not to the limit (grown again on every start-over).
        Assert.Equal(4 * new SqliteVigilStoreOptions().WalSizeLimitBytes, await store.QueryWriterPragmaAsync("journal_size_limit"));
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

        // Once a round has found the whole WAL copied back, the writer's next commit starts it over (cut to four times
        // the size limit). When that round comes depends on the machine's load, so small commits keep coming until it has.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var extra = 0;
        do
        {
            await Task.Delay(50);
            await store.UpsertInteractionsAsync([Record($"after-checkpoints-{extra++}")]);
        }
        while ((WalBytes(store) >= 16 * 1024 * 1024 || store.CheckpointRounds < 3) && DateTime.UtcNow < deadline);

        Assert.True(store.CheckpointRounds >= 3, $"only {store.CheckpointRounds} checkpoint rounds");
        Assert.True(WalBytes(store) < 16 * 1024 * 1024, $"the WAL is {WalBytes(store)} bytes after {extra} more commits");
        Assert.Equal(written + extra, await CountAllAsync(store));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_CommitsBackToBack_WalStillStartsOver()
    {
        // Under steady commits no checkpoint ends with the whole WAL copied (a newer commit is always behind it), so a
        // WAL left to start over by itself grew by every commit (2 GB in a 35 s load test); past the limit the
        // checkpointer copies the last few frames under the writer lock and the WAL starts over.
        // 75,000 random ids write about 75 MB of WAL frames; a WAL that starts over is cut back to 4 MiB. How far it
        // grows before a round takes the lock depends on the machine's load, so commits keep coming until it is small.
        var options = new SqliteVigilStoreOptions { CheckpointInterval = TimeSpan.FromMilliseconds(20), WalSizeLimitBytes = 1024 * 1024 };
        await using var store = new SqliteVigilStore(_directory, options);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        var (written, largestWal) = await WriteRandomBatchesAsync(store,
            (written, store) => (written < 75_000 || store.CheckpointLockedRounds < 1 || WalBytes(store) >= StartedOverWalBytes)
                && written < MaxRandomIds && DateTime.UtcNow < deadline, idleUpkeep: false);

        Assert.True(store.CheckpointLockedRounds >= 1, $"{store.CheckpointRounds} rounds, none locked");
        Assert.True(WalBytes(store) < StartedOverWalBytes, $"the WAL is {WalBytes(store)} bytes after {written} ids (it reached {largestWal})");
        Assert.True(largestWal < LargestWalBytes, $"the WAL reached {largestWal} bytes");
        Assert.Equal(written, await CountAllAsync(store));
    }

    [Fact]
    public async Task Checkpointer_UnderSteadyCommits_SyncsTheDatabaseFileItselfAndClosesItWithTheStore()
    {
        // SQLite syncs the database file only after a pass that copied the whole WAL (under steady commits, the last pass
        // with the writer paused); the checkpoint thread syncs it after its own passes, so that one has little left.
        // Linux only (elsewhere the checkpoints sync as SQLite does).
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var options = new SqliteVigilStoreOptions { CheckpointInterval = TimeSpan.FromMilliseconds(20), WalSizeLimitBytes = 1024 * 1024 };
        var store = new SqliteVigilStore(_directory, options);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var (written, _) = await WriteRandomBatchesAsync(store,
                (written, store) => (written < 10_000 || store.CheckpointDatabaseSyncs < 2) && DateTime.UtcNow < deadline, idleUpkeep: false);

            Assert.True(store.CheckpointDatabaseSyncs >= 2, $"{store.CheckpointDatabaseSyncs} syncs in {store.CheckpointRounds} rounds");
            Assert.Equal(written, await CountAllAsync(store));
        }
        finally
        {
            await store.DisposeAsync();
        }

        // Its handle is closed with the store, last (closing it earlier would drop SQLite's locks on the file).
        Assert.Empty(OpenDescriptorsOf(store.DatabasePath));
    }

    [Fact]
    public async Task RunUpkeepAsync_WriterWithIdleMoments_RunsTheWalsLastPassItself()
    {
        // With a writer that runs upkeep when idle (the collector's), the checkpointer asks it for the last pass
        // instead of taking its lock while requests may be queued.
        var options = new SqliteVigilStoreOptions { CheckpointInterval = TimeSpan.FromMilliseconds(20), WalSizeLimitBytes = 1024 * 1024 };
        await using var store = new SqliteVigilStore(_directory, options);
        await store.InitializeAsync();
        await store.RunUpkeepAsync();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        var (written, largestWal) = await WriteRandomBatchesAsync(store,
            (written, store) => (written < 50_000 || store.CheckpointWriterRestarts < 2 || WalBytes(store) >= StartedOverWalBytes)
                && written < MaxRandomIds && DateTime.UtcNow < deadline, idleUpkeep: true);

        Assert.True(store.CheckpointWriterRestarts >= 2, $"{store.CheckpointWriterRestarts} restarts by the writer, {store.CheckpointLockedRounds} locked rounds");
        Assert.True(WalBytes(store) < StartedOverWalBytes, $"the WAL is {WalBytes(store)} bytes after {written} ids (it reached {largestWal})");
        Assert.True(largestWal < LargestWalBytes, $"the WAL reached {largestWal} bytes");
        Assert.Equal(written, await CountAllAsync(store));
    }

    [Fact]
    public async Task ReadInteractionsAsync_ByTheSecondIndex_ReturnsExactlyTheRangeInTimeOrder()
    {
        // Rows are indexed by whole second and arrive out of order; ranges are still exact to the tick and sorted.
        await using var store = new SqliteVigilStore(_directory);
        var random = new Random(7);
        var origin = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var times = new List<DateTimeOffset>
        {
            new(1969, 12, 31, 23, 59, 59, TimeSpan.Zero), new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(5),
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddTicks(-1), origin.AddTicks(1), origin.AddTicks(-1), origin,
        };
        times.AddRange(Enumerable.Range(0, 3000).Select(_ => origin.AddTicks(random.NextInt64(-30 * TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond))));
        var records = times.Select((t, i) => Record($"t{i}") with { Timestamp = t, CostUsd = 0.001m * ((i % 7) + 1) }).ToList();
        foreach (var chunk in records.Chunk(400))
        {
            await store.UpsertInteractionsAsync(chunk);
        }

        var ranges = new (DateTimeOffset From, DateTimeOffset To)[]
        {
            (origin, origin.AddSeconds(1)), (origin.AddTicks(-1), origin.AddTicks(2)), (origin.AddTicks(1), origin.AddTicks(1)),
            (origin.AddSeconds(-10.5), origin.AddSeconds(3.25)), (origin.AddMilliseconds(-999.9999), origin.AddMilliseconds(0.0001)),
            (DateTimeOffset.UnixEpoch.AddSeconds(-1), DateTimeOffset.UnixEpoch.AddTicks(1)), (DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
        };
        foreach (var (from, to) in ranges)
        {
            var read = new List<DateTimeOffset>();
            await foreach (var record in store.ReadInteractionsAsync(from, to))
            {
                read.Add(record.Timestamp);
            }

            // Time order to the stored microsecond (ties within one are in no particular order, as in PostgreSQL).
            Assert.Equal(times.Where(t => t >= from && t < to).Order(), read.Order());
            Assert.Equal(read.Select(t => t.UtcTicks / 10).Order(), read.Select(t => t.UtcTicks / 10));
            var expectedCost = records.Where(r => r.Timestamp >= from && r.Timestamp < to).Sum(r => r.CostUsd ?? 0m);
            Assert.Equal(expectedCost, await store.SumCostAsync(from, to));
        }

        Assert.Equal(["interactions_second"], await IndexesOfInteractionsAsync(store));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_CommitsWithPauses_WalStartsOverWithoutPausingTheWriter()
    {
        // Between paced commits the unlocked checkpoints catch up, so the writer starts the WAL over by itself (far below
        // the size limit, so no round takes the lock). How soon they catch up depends on the machine's load, so commits
        // keep coming until the WAL has started over a few times.
        var options = new SqliteVigilStoreOptions { CheckpointInterval = TimeSpan.FromMilliseconds(10) };
        await using var store = new SqliteVigilStore(_directory, options);
        await store.InitializeAsync();
        var startsBefore = WalStartsOver(store);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var commits = 0;
        do
        {
            await store.UpsertInteractionsAsync(Enumerable.Range(0, 500).Select(_ => Record(Guid.NewGuid().ToString("N"))).ToList());
            commits++;
            await Task.Delay(60);
        }
        while (WalStartsOver(store) - startsBefore < 5 && DateTime.UtcNow < deadline);

        Assert.True(WalStartsOver(store) - startsBefore >= 5,
            $"the WAL started over {WalStartsOver(store) - startsBefore} times in {commits} commits ({store.CheckpointRounds} checkpoint rounds)");
        Assert.Equal(0, store.CheckpointLockedRounds);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1_000_000)]
    public async Task UpsertInteractionsAsync_RepeatsAcrossTailMergesAndRestarts_ReplaceExactlyOnce(int mergeThreshold)
    {
        // Ids live in memory (the tail) until merged into the index; a repeat must find its earlier version wherever it is,
        // also after a restart in the middle of a merge.
        var options = new SqliteVigilStoreOptions { IdMergeThreshold = mergeThreshold };
        var random = new Random(42);
        var latest = new Dictionary<string, double>();
        var version = 0;
        for (var round = 0; round < 4; round++)
        {
            await using var store = new SqliteVigilStore(_directory, options);
            if (round % 2 == 1)
            {
                // With the filter of stored ids filled, new ids skip the index lookup; repeats must still be found.
                await store.InitializeAsync();
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (!store.TraceIdFilterComplete && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10);
                }

                Assert.True(store.TraceIdFilterComplete);
            }

            for (var batch = 0; batch < 6; batch++)
            {
                var records = Enumerable.Range(0, 40).Select(_ => Record($"id{random.Next(120)}") with { LatencyMs = ++version }).ToList();
                var replaced = await store.UpsertInteractionsAsync(batch % 2 == 0 ? records : SerializedInteractions.Of(records));

                for (var i = 0; i < records.Count; i++)
                {
                    var expected = latest.TryGetValue(records[i].TraceId, out var before) ? before : (double?)null;
                    Assert.Equal(expected, replaced[i]?.LatencyMs);
                    latest[records[i].TraceId] = records[i].LatencyMs;
                }
            }
        }

        await using var reopened = new SqliteVigilStore(_directory, options);
        var read = new Dictionary<string, double>();
        await foreach (var record in reopened.ReadInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            Assert.True(read.TryAdd(record.TraceId, record.LatencyMs), $"{record.TraceId} read twice");
        }

        Assert.Equal(latest, read);
        foreach (var (traceId, latency) in latest)
        {
            Assert.Equal(latency, (await reopened.GetInteractionAsync(traceId))?.LatencyMs);
        }
    }

    [Fact]
    public async Task InitializeAsync_FileKeyedByTraceId_CopiesItsInteractionsOnceAndRepeatsStillReplace()
    {
        // The layout before interaction_ids: trace_id was the interactions table's primary key.
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, SqliteVigilStore.FileName);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            var a = System.Text.Encoding.UTF8.GetString(StoreJson.SerializeUtf8(Record("a") with { LatencyMs = 5 }));
            var b = System.Text.Encoding.UTF8.GetString(StoreJson.SerializeUtf8(Record("b") with { LatencyMs = 6 }));
            command.CommandText = """
                CREATE TABLE interactions (trace_id TEXT PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE INDEX interactions_ts ON interactions (ts);
                INSERT INTO interactions VALUES ('a', 1740830400000000, $a), ('b', 1740830400000000, $b);
                """;
            command.Parameters.AddWithValue("$a", a);
            command.Parameters.AddWithValue("$b", b);
            await command.ExecuteNonQueryAsync();
        }

        await using (var store = new SqliteVigilStore(_directory))
        {
            Assert.Equal(5, (await store.GetInteractionAsync("a"))?.LatencyMs);
            var replaced = await store.UpsertInteractionsAsync([Record("b") with { LatencyMs = 7 }]);
            Assert.Equal(6, replaced[0]?.LatencyMs);
        }

        await using var reopened = new SqliteVigilStore(_directory);
        var read = new List<(string, double)>();
        await foreach (var record in reopened.ReadInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            read.Add((record.TraceId, record.LatencyMs));
        }

        Assert.Equal([("a", 5.0), ("b", 7.0)], read.Order());
        Assert.Equal(["interactions_second"], await IndexesOfInteractionsAsync(reopened));
    }

    [Fact]
    public async Task InitializeAsync_FileWithTheTimestampIndex_ReplacesItByTheSecondIndex()
    {
        // Files of the first append-only layout indexed interactions by ts.
        await using (var store = new SqliteVigilStore(_directory))
        {
            await store.UpsertInteractionsAsync([Record("a")]);
        }

        await ExecuteOnFileAsync("DROP INDEX interactions_second; CREATE INDEX interactions_ts ON interactions (ts);");

        await using var reopened = new SqliteVigilStore(_directory);
        await reopened.UpsertInteractionsAsync([Record("b")]);
        Assert.Equal(["interactions_second"], await IndexesOfInteractionsAsync(reopened));
        var read = new List<string>();
        await foreach (var record in reopened.ReadInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            read.Add(record.TraceId);
        }

        Assert.Equal(["a", "b"], read.Order());
    }

    [Fact]
    public async Task InitializeAsync_FileWithoutIdempotencyKeys_GainsTheTableAndKeepsItsRecords()
    {
        // Files made before idempotency keys existed.
        await using (var store = new SqliteVigilStore(_directory))
        {
            await store.UpsertInteractionsAsync([Record("a")]);
        }

        await ExecuteOnFileAsync("DROP TABLE idempotency_keys;");

        await using var reopened = new SqliteVigilStore(_directory);
        await reopened.UpsertInteractionsAsync([Record("b")], [new IdempotencyKey("k", 1)]);

        Assert.Equal(1, (await reopened.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["k"]))["k"]);
        Assert.NotNull(await reopened.GetInteractionAsync("a"));
    }

    [Fact]
    public void Constructor_PageSizeNotAPowerOfTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { PageSize = 10000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { CheckpointInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { IdMergeThreshold = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVigilStore(_directory, new SqliteVigilStoreOptions { TraceIdFilterBytes = -1 }));
    }

    // Commits batches of 500 random ids back to back while `more` says so (running the store's upkeep between them
    // when asked, as the collector's idle writer does); the rows written and the largest WAL seen.
    private static async Task<(int Written, long LargestWal)> WriteRandomBatchesAsync(
        SqliteVigilStore store, Func<int, SqliteVigilStore, bool> more, bool idleUpkeep)
    {
        long largestWal = 0;
        var written = 0;
        while (more(written, store))
        {
            var records = Enumerable.Range(0, 500).Select(_ => Record(Guid.NewGuid().ToString("N"))).ToList();
            await store.UpsertInteractionsAsync(records);
            written += records.Count;
            if (idleUpkeep && store.UpkeepReady)
            {
                await store.RunUpkeepAsync();
            }

            largestWal = Math.Max(largestWal, WalBytes(store));
        }

        return (written, largestWal);
    }

    private static long WalBytes(SqliteVigilStore store)
    {
        var wal = new FileInfo(store.DatabasePath + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    // How many times the WAL started over: the checkpoint sequence number of its header (bytes 12 to 15, big-endian),
    // which SQLite counts up on every start over (https://www.sqlite.org/fileformat2.html#walformat). SQLite holds no
    // locks on the WAL file itself, so opening and closing it here leaves its locks alone.
    private static long WalStartsOver(SqliteVigilStore store)
    {
        var path = store.DatabasePath + "-wal";
        if (!File.Exists(path))
        {
            return 0;
        }

        Span<byte> header = stackalloc byte[16];
        using var wal = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return wal.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length
            ? BinaryPrimitives.ReadUInt32BigEndian(header[12..])
            : 0;
    }

    // The descriptors of this process open on path (Linux); one closed by another thread while listed is skipped.
    private static List<string> OpenDescriptorsOf(string path)
    {
        var open = new List<string>();
        foreach (var fd in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
        {
            try
            {
                if (fd.LinkTarget == path)
                {
                    open.Add(fd.Name);
                }
            }
            catch (IOException)
            {
                // Closed since it was listed (readlink fails with ENOENT: FileNotFoundException or DirectoryNotFoundException).
            }
        }

        return open;
    }

    private static async Task<int> CountAllAsync(SqliteVigilStore store)
    {
        var read = 0;
        await foreach (var _ in store.ReadInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            read++;
        }

        return read;
    }

    private static async Task<List<string>> IndexesOfInteractionsAsync(SqliteVigilStore store)
    {
        await store.InitializeAsync();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions' AND sql IS NOT NULL ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static InteractionRecord Record(string traceId) => new()
    {
        TraceId = traceId,
        Timestamp = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Model = "m",
        Status = InteractionStatus.Success,
        LatencyMs = 1,
    };

    // Runs SQL on the database file while no store has it open (to make a file as an earlier version left it).
    private async Task ExecuteOnFileAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, SqliteVigilStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
