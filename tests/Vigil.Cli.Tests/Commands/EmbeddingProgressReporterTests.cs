using Vigil.Cli.Commands;
using Vigil.Drift;

namespace Vigil.Cli.Tests.Commands;

public sealed class EmbeddingProgressReporterTests
{
    [Fact]
    public void Report_AtMostOneLinePerIntervalWithShareRateAndTimeLeft()
    {
        var clock = new ManualClock();
        using var stderr = new StringWriter();
        var reporter = new EmbeddingProgressReporter(stderr, clock, TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(1));
        reporter.Report(new EmbeddingReadProgress("/data/today.jsonl", 32, 32, 0.1));
        clock.Advance(TimeSpan.FromSeconds(1.5));
        reporter.Report(new EmbeddingReadProgress("/data/today.jsonl", 100, 100, 0.25));
        clock.Advance(TimeSpan.FromSeconds(1));
        reporter.Report(new EmbeddingReadProgress("/data/today.jsonl", 132, 132, 0.3));
        clock.Advance(TimeSpan.FromSeconds(5));
        reporter.Report(new EmbeddingReadProgress("/data/today.jsonl", 400, 400, 1.0));

        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The rate and time left count from the first batch: (100 - 32) texts in 1.5 s, 15% of the file in 1.5 s.
        Assert.Equal(["vigil drift: today.jsonl: 100 texts embedded (25% of the file, 45 texts/s, about 8 s left)"], lines);
    }

    [Fact]
    public void Report_UnknownShareOfTheFile_NamesTheLine()
    {
        var clock = new ManualClock();
        using var stderr = new StringWriter();
        var reporter = new EmbeddingProgressReporter(stderr, clock, TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(4));
        reporter.Report(new EmbeddingReadProgress("in.jsonl", 200, 100, null));
        clock.Advance(TimeSpan.FromSeconds(4));
        reporter.Report(new EmbeddingReadProgress("in.jsonl", 1234, 1000, null));

        Assert.Equal("vigil drift: in.jsonl: 1,000 texts embedded (line 1234, 225 texts/s)", stderr.ToString().TrimEnd());
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
