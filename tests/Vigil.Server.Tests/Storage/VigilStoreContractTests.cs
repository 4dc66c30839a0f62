using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vigil.Records;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IVigilStore"/> must have, run against each implementation by a derived class.
/// Each test gets an empty database of its own and a store already initialized on it.
/// </summary>
public abstract partial class VigilStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IVigilStore? _store;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 2, 8, 30, 0, TimeSpan.Zero));

    protected IVigilStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        try
        {
            _store = OpenStore(Time);
            await _store.InitializeAsync();
        }
        catch
        {
            // xunit does not dispose a test class whose InitializeAsync failed: remove the database here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }

        await DeleteDatabaseAsync();
    }

    [Fact]
    public async Task UpsertInteractionsAsync_NewTraceIds_ReturnsNullForEach()
    {
        var records = new[] { Interaction("a", T0), Interaction("b", T0.AddSeconds(1)) };

        var replaced = await Store.UpsertInteractionsAsync(records);

        Assert.Equal(new InteractionRecord?[] { null, null }, replaced);
        AssertSame(records[0], await Store.GetInteractionAsync("a"));
        AssertSame(records[1], await Store.GetInteractionAsync("b"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_ExistingTraceId_ReplacesAndReturnsPrevious()
    {
        var first = Interaction("a", T0, cost: 0.5m);
        await Store.UpsertInteractionsAsync([first]);
        var second = Interaction("a", T0.AddMinutes(1), cost: 0.25m) with { Status = InteractionStatus.Error, ErrorType = ErrorType.RateLimit, HttpStatus = 429 };

        var replaced = await Store.UpsertInteractionsAsync([second, Interaction("b", T0)]);

        Assert.Equal(2, replaced.Count);
        AssertSame(first, replaced[0]);
        Assert.Null(replaced[1]);
        AssertSame(second, await Store.GetInteractionAsync("a"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_DuplicatesInOneBatch_LastWinsAndEachGetsTheVersionBefore()
    {
        var a0 = Interaction("a", T0) with { Model = "v0" };
        await Store.UpsertInteractionsAsync([a0]);
        var a1 = Interaction("a", T0.AddSeconds(1)) with { Model = "v1" };
        var b1 = Interaction("b", T0.AddSeconds(2)) with { Model = "v1" };
        var a2 = Interaction("a", T0.AddSeconds(3)) with { Model = "v2" };
        var b2 = Interaction("b", T0.AddSeconds(4)) with { Model = "v2" };
        var a3 = Interaction("a", T0.AddSeconds(5)) with { Model = "v3" };

        var replaced = await Store.UpsertInteractionsAsync([a1, b1, a2, b2, a3]);

        Assert.Equal(5, replaced.Count);
        AssertSame(a0, replaced[0]);
        Assert.Null(replaced[1]);
        AssertSame(a1, replaced[2]);
        AssertSame(b1, replaced[3]);
        AssertSame(a2, replaced[4]);
        var stored = await ReadAllInteractionsAsync(T0, T0.AddMinutes(1));
        Assert.Equal(["b:v2", "a:v3"], stored.Select(r => $"{r.TraceId}:{r.Model}"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_EmptyBatch_ReturnsEmpty()
    {
        var replaced = await Store.UpsertInteractionsAsync([]);

        Assert.Empty(replaced);
    }

    [Fact]
    public async Task UpsertInteractionsAsync_ReplacementWithNewTimestamp_MovesInTime()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0, cost: 1m)]);

        await Store.UpsertInteractionsAsync([Interaction("a", T0.AddHours(2), cost: 2m)]);

        Assert.Empty(await ReadAllInteractionsAsync(T0, T0.AddHours(1)));
        Assert.Single(await ReadAllInteractionsAsync(T0.AddHours(1), T0.AddHours(3)));
        Assert.Equal(0m, await Store.SumCostAsync(T0, T0.AddHours(1)));
        Assert.Equal(2m, await Store.SumCostAsync(T0, T0.AddHours(3)));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_UnusualContent_RoundTripsExactly()
    {
        var record = Interaction("trace/ü 🚀 \"quoted\"", new DateTimeOffset(2025, 3, 1, 17, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(1234567), cost: 0.000123456789012345678m) with
        {
            Query = "NUL \u0000 inside, a lone surrogate \ud800, quotes \" and \\u0000 as text, 'single', 日本語",
            Response = new string('x', 60_000),
            Context = "line1\nline2\ttab",
            Embedding = [0.1f, -2.5e-8f, float.MaxValue, 3f],
            Attributes = new Dictionary<string, string> { ["cost_usd"] = "9", ["region"] = "eu-west-1" },
            Cache = CacheOutcome.Hit,
            CacheType = CacheType.Semantic,
            Degradation = Degradation.CacheFallback,
        };

        await Store.UpsertInteractionsAsync([record]);
        var replaced = await Store.UpsertInteractionsAsync([record]);

        AssertSame(record, replaced[0]);
        AssertSame(record, await Store.GetInteractionAsync(record.TraceId));
        AssertSame(record, Assert.Single(await ReadAllInteractionsAsync(T0, T0.AddDays(1))));
        Assert.Equal(0.000123456789012345678m, await Store.SumCostAsync(T0, T0.AddDays(1)));
    }

    [Fact]
    public async Task ReadInteractionsAsync_TimeRange_IsHalfOpenAndOrderedByTimestamp()
    {
        var minutes = new[] { 7, 2, 9, 0, 5, 3, 8, 1, 6, 4 };
        await Store.UpsertInteractionsAsync(minutes.Select(m => Interaction($"t{m}", T0.AddMinutes(m))).ToList());

        var read = await ReadAllInteractionsAsync(T0.AddMinutes(2), T0.AddMinutes(7));

        Assert.Equal(["t2", "t3", "t4", "t5", "t6"], read.Select(r => r.TraceId));
    }

    [Fact]
    public async Task ReadInteractionsAsync_OffsetTimestamps_AreComparedAsInstants()
    {
        // 13:00+02:00 is 11:00Z, before T0 (12:00Z); 10:30-02:00 is 12:30Z, after it.
        var before = Interaction("before", new DateTimeOffset(2025, 3, 1, 13, 0, 0, TimeSpan.FromHours(2)));
        var after = Interaction("after", new DateTimeOffset(2025, 3, 1, 10, 30, 0, TimeSpan.FromHours(-2)));
        await Store.UpsertInteractionsAsync([after, before]);

        var read = await ReadAllInteractionsAsync(T0.AddHours(-2), T0.AddHours(1));
        var fromT0 = await ReadAllInteractionsAsync(T0.ToOffset(TimeSpan.FromHours(9)), T0.AddHours(1));

        Assert.Equal(["before", "after"], read.Select(r => r.TraceId));
        Assert.Equal(["after"], fromT0.Select(r => r.TraceId));
    }

    [Fact]
    public async Task ReadInteractionsAsync_BoundsInsideAMicrosecond_AreExactToTheTick()
    {
        // Stored timestamps are whole microseconds (10 ticks); bounds between them still decide exactly.
        await Store.UpsertInteractionsAsync(
        [
            Interaction("at-3", T0.AddTicks(3), cost: 1m),
            Interaction("at-7", T0.AddTicks(7), cost: 2m),
            Interaction("at-12", T0.AddTicks(12), cost: 4m),
            Interaction("at-15", T0.AddTicks(15), cost: 8m),
        ]);

        var read = await ReadAllInteractionsAsync(T0.AddTicks(5), T0.AddTicks(15));

        Assert.Equal(["at-7", "at-12"], read.Select(r => r.TraceId));
        Assert.Equal(6m, await Store.SumCostAsync(T0.AddTicks(5), T0.AddTicks(15)));
        Assert.Equal(15m, await Store.SumCostAsync(T0, T0.AddTicks(16)));
        Assert.Equal(4m, await Store.SumCostAsync(T0.AddTicks(8), T0.AddTicks(13)));
    }

    [Fact]
    public async Task ReadInteractionsAsync_EmptyOrInvertedRange_ReturnsNothing()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0, cost: 1m)]);

        Assert.Empty(await ReadAllInteractionsAsync(T0, T0));
        Assert.Empty(await ReadAllInteractionsAsync(T0.AddMinutes(1), T0.AddMinutes(-1)));
        Assert.Equal(0m, await Store.SumCostAsync(T0, T0));
    }

    [Fact]
    public async Task ReadInteractionsAsync_WholeTimeline_IncludesEveryRecord()
    {
        await Store.UpsertInteractionsAsync([Interaction("old", new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero)), Interaction("now", T0)]);

        var read = await ReadAllInteractionsAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

        Assert.Equal(["old", "now"], read.Select(r => r.TraceId));
    }

    [Fact]
    public async Task GetInteractionAsync_UnknownTraceId_ReturnsNull()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0)]);

        Assert.Null(await Store.GetInteractionAsync("nope"));
    }

    [Fact]
    public async Task AddFeedbackAsync_BeforeItsInteraction_IsKeptAndFoundByTrace()
    {
        var feedback = Feedback("later", FeedbackType.Thumbs, 1, T0);

        await Store.AddFeedbackAsync([feedback]);
        await Store.UpsertInteractionsAsync([Interaction("later", T0.AddSeconds(5))]);

        AssertSame(feedback, Assert.Single(await Store.GetFeedbackForTraceAsync("later")));
        Assert.NotNull(await Store.GetInteractionAsync("later"));
    }

    [Fact]
    public async Task AddFeedbackAsync_WithoutTimestamp_IsFiledUnderTheTimeReceived()
    {
        var feedback = Feedback("a", FeedbackType.Rating, 4, timestamp: null);

        await Store.AddFeedbackAsync([feedback]);

        var stored = Assert.Single(await Store.GetFeedbackForTraceAsync("a"));
        Assert.Equal(Time.GetUtcNow(), stored.Timestamp);
        AssertSame(feedback with { Timestamp = Time.GetUtcNow() }, stored);
        Assert.Single(await ReadAllFeedbackAsync(Time.GetUtcNow(), Time.GetUtcNow().AddTicks(1)));
    }

    [Fact]
    public async Task ReadFeedbackAsync_TimeRange_IsHalfOpenAndOrdered()
    {
        await Store.AddFeedbackAsync(
        [
            Feedback("a", FeedbackType.Thumbs, 0, T0.AddMinutes(3)),
            Feedback(null, FeedbackType.Csat, 5, T0.AddMinutes(1)) with { UserId = "u1" },
            Feedback("b", FeedbackType.Thumbs, 1, T0),
            Feedback(null, FeedbackType.Nps, 9, T0.AddMinutes(2)),
            Feedback("c", FeedbackType.Text, null, T0.AddMinutes(4)) with { Comment = "slow" },
        ]);

        var read = await ReadAllFeedbackAsync(T0.AddMinutes(1), T0.AddMinutes(4));

        Assert.Equal([FeedbackType.Csat, FeedbackType.Nps, FeedbackType.Thumbs], read.Select(f => f.Type));
        Assert.Null(read[0].TraceId);
        Assert.Equal("u1", read[0].UserId);
    }

    [Fact]
    public async Task GetFeedbackForTraceAsync_SeveralFeedbacks_ReturnsOnlyThatTraceOldestFirst()
    {
        await Store.AddFeedbackAsync([Feedback("a", FeedbackType.Rating, 2, T0.AddMinutes(2)), Feedback("b", FeedbackType.Rating, 3, T0)]);
        await Store.AddFeedbackAsync([Feedback("a", FeedbackType.Rating, 5, T0), Feedback("a", FeedbackType.Thumbs, 1, T0.AddMinutes(1))]);

        var feedback = await Store.GetFeedbackForTraceAsync("a");

        Assert.Equal([5d, 1d, 2d], feedback.Select(f => f.Value!.Value));
        Assert.Empty(await Store.GetFeedbackForTraceAsync("nope"));
    }

    [Fact]
    public async Task GetEvaluationsForTraceAsync_SeveralTraces_ReturnsOnlyThatTraceOldestFirst()
    {
        await Store.AddEvaluationsAsync(
        [
            Evaluation("a", 4, T0.AddMinutes(5)),
            Evaluation("b", 1, T0),
            Evaluation("a", 2, T0.AddMinutes(1)),
        ]);
        await Store.AddEvaluationsAsync([Evaluation("a", 3, T0.AddMinutes(3))]);

        var evaluations = await Store.GetEvaluationsForTraceAsync("a");

        Assert.Equal([2d, 3d, 4d], evaluations.Select(e => e.Overall));
        AssertSame(Evaluation("b", 1, T0), Assert.Single(await Store.GetEvaluationsForTraceAsync("b")));
        Assert.Empty(await Store.GetEvaluationsForTraceAsync("nope"));
    }

    [Fact]
    public async Task AddEvaluationsAsync_WithoutEvaluatedAt_IsFiledUnderTheTimeReceived()
    {
        var evaluation = Evaluation("a", 5, evaluatedAt: null);

        await Store.AddEvaluationsAsync([evaluation]);

        var stored = Assert.Single(await Store.GetEvaluationsForTraceAsync("a"));
        AssertSame(evaluation with { EvaluatedAt = Time.GetUtcNow() }, stored);
    }

    [Fact]
    public async Task ReadEvaluationsAsync_TimeRange_IsHalfOpenAndOrdered()
    {
        await Store.AddEvaluationsAsync(Enumerable.Range(0, 6).Reverse().Select(m => Evaluation($"t{m}", 1 + (m % 5), T0.AddMinutes(m))).ToList());

        var read = new List<EvaluationRecord>();
        await foreach (var evaluation in Store.ReadEvaluationsAsync(T0.AddMinutes(1), T0.AddMinutes(4)))
        {
            read.Add(evaluation);
        }

        Assert.Equal(["t1", "t2", "t3"], read.Select(e => e.TraceId));
    }

    [Fact]
    public async Task SumCostAsync_TimeRange_SumsExactDecimalsOfRecordsInRange()
    {
        await Store.UpsertInteractionsAsync(
        [
            Interaction("a", T0, cost: 0.1m),
            Interaction("b", T0.AddMinutes(1), cost: 0.2m),
            Interaction("c", T0.AddMinutes(2), cost: null),
            Interaction("d", T0.AddMinutes(3), cost: 0.000000000000000001m),
            Interaction("e", T0.AddMinutes(10), cost: 100m),
            Interaction("f", T0.AddMinutes(-1), cost: 100m),
        ]);
        await Store.UpsertInteractionsAsync([Interaction("b", T0.AddMinutes(1), cost: 0.2m)]);

        var sum = await Store.SumCostAsync(T0, T0.AddMinutes(10));

        Assert.Equal(0.300000000000000001m, sum);
    }

    [Fact]
    public async Task SumCostAsync_NoInteractions_ReturnsZero()
    {
        Assert.Equal(0m, await Store.SumCostAsync(T0, T0.AddDays(30)));
    }

    [Fact]
    public async Task PingAsync_InitializedStore_ReturnsTrue()
    {
        Assert.True(await Store.PingAsync());
    }

    [Fact]
    public async Task InitializeAsync_CalledAgain_KeepsData()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0)]);

        await Store.InitializeAsync();

        Assert.NotNull(await Store.GetInteractionAsync("a"));
    }

    [Fact]
    public async Task DisposeAsync_ThenNewInstance_KeepsEverything()
    {
        var interaction = Interaction("a", T0, cost: 1.25m);
        var feedback = Feedback("a", FeedbackType.Thumbs, 1, T0.AddSeconds(1));
        var evaluation = Evaluation("a", 4, T0.AddSeconds(2));
        await Store.UpsertInteractionsAsync([interaction]);
        await Store.AddFeedbackAsync([feedback]);
        await Store.AddEvaluationsAsync([evaluation]);

        await ReopenAsync();

        AssertSame(interaction, await Store.GetInteractionAsync("a"));
        AssertSame(feedback, Assert.Single(await Store.GetFeedbackForTraceAsync("a")));
        AssertSame(evaluation, Assert.Single(await Store.GetEvaluationsForTraceAsync("a")));
        Assert.Equal(1.25m, await Store.SumCostAsync(T0, T0.AddHours(1)));
        var replaced = await Store.UpsertInteractionsAsync([Interaction("a", T0, cost: 2m)]);
        AssertSame(interaction, replaced[0]);
    }

    [Fact]
    public async Task UpsertInteractionsAsync_TenThousandRecordBatch_RoundTrips()
    {
        var records = Enumerable.Range(0, 10_000)
            .Select(i => Interaction($"bulk-{i:D5}", T0.AddMilliseconds(i), cost: 0.0001m) with { Query = $"question {i}" })
            .ToList();

        var replaced = await Store.UpsertInteractionsAsync(records);
        var read = await ReadAllInteractionsAsync(T0, T0.AddHours(1));
        var again = await Store.UpsertInteractionsAsync(records);

        Assert.All(replaced, Assert.Null);
        Assert.Equal(records.Count, read.Count);
        Assert.Equal(records.Select(Json), read.Select(Json));
        Assert.Equal(records.Select(Json), again.Select(r => Json(r!)));
        Assert.Equal(1m, await Store.SumCostAsync(T0, T0.AddHours(1)));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_ConcurrentBatchesOnSameTraceIds_ReplaceEachVersionExactlyOnce()
    {
        const int TraceIds = 40;
        const int Writers = 4;
        const int Batches = 8;

        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var replaced = new List<InteractionRecord?>();
            for (var b = 0; b < Batches; b++)
            {
                var batch = Enumerable.Range(0, TraceIds).Select(i => Interaction($"c{i}", T0.AddSeconds(i)) with { Model = $"w{w}-b{b}" }).ToList();
                replaced.AddRange(await Store.UpsertInteractionsAsync(batch));
            }

            return replaced;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(TraceIds, all.Count(r => r is null));
        var written = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, Batches).Select(b => $"w{w}-b{b}")).Order().ToList();
        for (var i = 0; i < TraceIds; i++)
        {
            var final = await Store.GetInteractionAsync($"c{i}");
            var versions = all.Where(r => r?.TraceId == $"c{i}").Select(r => r!.Model).Append(final!.Model).Order().ToList();
            Assert.Equal(written, versions);
        }
    }

    [Fact]
    public async Task UpsertInteractionsAsync_CanceledToken_ThrowsAndStoresNothing()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UpsertInteractionsAsync([Interaction("a", T0)], canceled.Token));

        Assert.Null(await Store.GetInteractionAsync("a"));
    }

    /// <summary>Creates an empty database for this test.</summary>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>A new, not yet initialized store instance on this test's database.</summary>
    protected abstract IVigilStore OpenStore(TimeProvider timeProvider);

    /// <summary>Removes this test's database (the store is disposed by then).</summary>
    protected abstract Task DeleteDatabaseAsync();

    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = OpenStore(Time);
        await _store.InitializeAsync();
    }

    protected static InteractionRecord Interaction(string traceId, DateTimeOffset timestamp, decimal? cost = 0.0042m) => new()
    {
        TraceId = traceId,
        Timestamp = timestamp,
        Model = "gpt-4.1-mini",
        Provider = "openai",
        Feature = "customer_service",
        UserId = "user-1",
        UserTier = "pro",
        Status = InteractionStatus.Success,
        LatencyMs = 812.5,
        TtftMs = 120.25,
        InputTokens = 1200,
        OutputTokens = 300,
        CachedTokens = 1024,
        CostUsd = cost,
        Attributes = new Dictionary<string, string> { ["region"] = "eu" },
    };

    protected static FeedbackRecord Feedback(string? traceId, FeedbackType type, double? value, DateTimeOffset? timestamp) => new()
    {
        TraceId = traceId,
        Type = type,
        Value = value,
        Feature = "customer_service",
        Timestamp = timestamp,
    };

    protected static EvaluationRecord Evaluation(string traceId, double overall, DateTimeOffset? evaluatedAt) => new()
    {
        TraceId = traceId,
        JudgeModel = "judge-1",
        Relevance = 4,
        Coherence = 4.5,
        Faithfulness = 3,
        Safety = 5,
        Overall = overall,
        IsHallucination = overall < 2,
        Reasoning = "because",
        EvaluatedAt = evaluatedAt,
    };

    protected async Task<List<InteractionRecord>> ReadAllInteractionsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var list = new List<InteractionRecord>();
        await foreach (var record in Store.ReadInteractionsAsync(from, to))
        {
            list.Add(record);
        }

        return list;
    }

    protected async Task<List<FeedbackRecord>> ReadAllFeedbackAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var list = new List<FeedbackRecord>();
        await foreach (var record in Store.ReadFeedbackAsync(from, to))
        {
            list.Add(record);
        }

        return list;
    }

    private static string Json(InteractionRecord record) => JsonSerializer.Serialize(record, VigilJsonContext.Default.InteractionRecord);

    private static void AssertSame(InteractionRecord expected, InteractionRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Json(expected), Json(actual));
    }

    private static void AssertSame(FeedbackRecord expected, FeedbackRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected, VigilJsonContext.Default.FeedbackRecord), JsonSerializer.Serialize(actual, VigilJsonContext.Default.FeedbackRecord));
    }

    private static void AssertSame(EvaluationRecord expected, EvaluationRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected, VigilJsonContext.Default.EvaluationRecord), JsonSerializer.Serialize(actual, VigilJsonContext.Default.EvaluationRecord));
    }
}
