using Microsoft.Extensions.Time.Testing;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Slo;

namespace Vigil.Tests.Slo;

public sealed class SlidingWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Snapshot_AsTimeAdvances_OldSlicesLeaveTheWindow()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SlidingWindow(time, TimeSpan.FromHours(1), 60);
        window.Add(Interaction("a", Start, 100));
        time.Advance(TimeSpan.FromMinutes(30));
        window.Add(Interaction("b", time.GetUtcNow(), 200));

        Assert.Equal(2, Requests(window));
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, Requests(window));
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(0, Requests(window));
    }

    [Fact]
    public void Add_RecordOlderThanWindow_IsNotWindowed()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SlidingWindow(time, TimeSpan.FromHours(1), 60);

        window.Add(Interaction("old", Start.AddHours(-2), 100));
        window.Add(Interaction("future", Start.AddHours(2), 100));

        Assert.Equal(0, Requests(window));
        Assert.False(window.Covers(Start.AddHours(-2)));
        Assert.True(window.Covers(Start.AddMinutes(-59)));
    }

    [Fact]
    public void Add_ThenRemove_UncountsTheReplacedRecord()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SlidingWindow(time, TimeSpan.FromHours(1), 60);
        var first = Interaction("t", Start, 100) with { Status = InteractionStatus.Error, ErrorType = ErrorType.ServerError };
        var second = Interaction("t", Start, 300);

        window.Add(first);
        window.Add(first, sign: -1);
        window.Add(second);

        var (aggregate, _) = window.Snapshot();
        var stats = aggregate.Sla[SignalAggregate.GlobalKey];
        Assert.Equal(1, stats.Requests);
        Assert.Equal(1, stats.Successes);
        Assert.DoesNotContain(aggregate.Errors, e => e.Value != 0);
    }

    [Fact]
    public void Snapshot_Memory_StaysBoundedUnderSteadyTraffic()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SlidingWindow(time, TimeSpan.FromHours(1), 60);
        var random = new Random(1);
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            for (var i = 0; i < 50; i++)
            {
                window.Add(Interaction($"t{minute}-{i}", time.GetUtcNow(), 100 + random.Next(5000)));
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Allocation by the window itself (this thread only, records made beforehand): adding to a window that
        // already has its slices and dimensions must not grow with traffic.
        var more = Enumerable.Range(0, 100_000).Select(i => Interaction($"more{i}", time.GetUtcNow(), 100 + random.Next(5000))).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var record in more)
        {
            window.Add(record);
        }

        var after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(after - before < 1_000_000, $"allocated {after - before} bytes for 100,000 records");
        Assert.InRange(Requests(window), 100_000 + (58 * 50), 100_000 + (60 * 50));
    }

    private static long Requests(SlidingWindow window) => window.Snapshot().Aggregate.Sla.GetValueOrDefault(SignalAggregate.GlobalKey)?.Requests ?? 0;

    internal static InteractionRecord Interaction(string id, DateTimeOffset at, double latencyMs) => new()
    {
        TraceId = id,
        Timestamp = at,
        Model = "gpt-4.1-mini",
        Status = InteractionStatus.Success,
        LatencyMs = latencyMs,
    };
}
