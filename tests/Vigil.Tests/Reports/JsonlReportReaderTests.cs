using System.Text;
using Vigil.Pricing;
using Vigil.Reports;

namespace Vigil.Tests.Reports;

public sealed class JsonlReportReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReadInteractions_RepeatedTraceId_LastLineWins()
    {
        var path = Write("a.jsonl",
            Line("t1", 100, "success"),
            Line("t2", 200, "success"),
            Line("t1", 300, "error"),
            Line("t3", 400, "success"),
            Line("t1", 500, "success"));

        var aggregate = await Reader().ReadInteractionsAsync(path, null, null, e => Assert.Fail(e.ToString()));

        var global = aggregate.Sla["global"];
        Assert.Equal(3, global.Requests);
        Assert.Equal(3, global.Successes);
        Assert.InRange(global.LatencyMs.Quantile(1.0)!.Value, 495, 505);
    }

    [Fact]
    public async Task ReadInteractions_BadLines_AreReportedByNumberAndOthersKept()
    {
        var path = Write("b.jsonl",
            Line("t1", 100, "success"),
            "{\"trace_id\":\"t2\",\"status\":\"success\"}",
            "not json",
            string.Empty,
            Line("t3", 100, "success"));
        var errors = new List<LineError>();

        var aggregate = await Reader().ReadInteractionsAsync(path, null, null, errors.Add);

        Assert.Equal(2, aggregate.Sla["global"].Requests);
        Assert.Equal([2L, 3L], errors.Select(e => e.Line).Order());
        Assert.Contains("timestamp", errors.Single(e => e.Line == 2).Message, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.Equal(path, e.File));
    }

    [Fact]
    public async Task ReadInteractions_FromTo_SelectsHalfOpenRange()
    {
        var path = Write("c.jsonl",
            Line("t1", 100, "success", "2026-11-28T09:59:59Z"),
            Line("t2", 100, "success", "2026-11-28T10:00:00Z"),
            Line("t3", 100, "success", "2026-11-28T10:30:00Z"),
            Line("t4", 100, "success", "2026-11-28T11:00:00Z"));

        var aggregate = await Reader().ReadInteractionsAsync(path,
            DateTimeOffset.Parse("2026-11-28T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-11-28T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), _ => { });

        Assert.Equal(2, aggregate.Sla["global"].Requests);
    }

    [Fact]
    public async Task ReadInteractions_LargeFileAcrossBlocks_CountsEveryLineOnce()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 60_000; i++)
        {
            builder.Append(Line($"trace-{i % 50_000}", 10 + (i % 1000), i % 10 == 0 ? "error" : "success")).Append('\n');
        }

        var path = Path.Combine(_dir, "big.jsonl");
        await File.WriteAllTextAsync(path, builder.ToString());

        var aggregate = await Reader(workers: 4).ReadInteractionsAsync(path, null, null, e => Assert.Fail(e.ToString()));

        Assert.Equal(50_000, aggregate.Sla["global"].Requests);
        // ids 0..9,999 appear twice; their last line is i + 50,000, an error when i % 10 == 0.
        Assert.Equal(5_000, aggregate.Errors["server_error"]);
    }

    [Fact]
    public async Task ReadInteractions_LinesLongerThanABlock_AreReadWholeWithTheirNumbers()
    {
        // Blocks are 4 MiB: a valid line of 9 MiB (whitespace inside its object) and a bad one of 5 MiB, between short ones.
        var longValid = Line("t2", 200, "success").Replace(",\"status\"", new string(' ', 9 << 20) + ",\"status\"", StringComparison.Ordinal);
        var longBad = "{\"trace_id\":\"t3\"" + new string(' ', 5 << 20) + "}";
        var path = Write("long.jsonl", Line("t1", 100, "success"), longValid, longBad, Line("t4", 400, "success"));
        var errors = new List<LineError>();

        var aggregate = await Reader().ReadInteractionsAsync(path, null, null, errors.Add);

        Assert.Equal(3, aggregate.Sla["global"].Requests);
        Assert.InRange(aggregate.Sla["global"].LatencyMs.Quantile(0.5)!.Value, 198, 202);
        Assert.Equal(3, Assert.Single(errors).Line);
    }

    [Fact]
    public async Task ReadInteractions_CrlfBlankAndSpaceOnlyLinesAndNoFinalLineFeed_SameFiguresAndLineNumbersAsPlainLines()
    {
        string[] lines =
        [
            Line("t1", 100, "success"),
            string.Empty,
            "   ",
            Line("t2", 200, "error") + "  ",
            "{\"trace_id\":\"bad\"}",
            " " + Line("t3", 300, "success"),
            Line("t1", 400, "success"),
            "\t",
            Line("t4", 500, "success"),
        ];
        var plainPath = Path.Combine(_dir, "lf.jsonl");
        await File.WriteAllTextAsync(plainPath, string.Join('\n', lines) + "\n");
        var crlfPath = Path.Combine(_dir, "crlf.jsonl");
        await File.WriteAllTextAsync(crlfPath, string.Join("\r\n", lines)); // and no line feed after the last line
        var plainErrors = new List<LineError>();
        var crlfErrors = new List<LineError>();

        var plain = await Reader().ReadInteractionsAsync(plainPath, null, null, plainErrors.Add);
        var crlf = await Reader().ReadInteractionsAsync(crlfPath, null, null, crlfErrors.Add);

        foreach (var aggregate in new[] { plain, crlf })
        {
            Assert.Equal(4, aggregate.Sla["global"].Requests);
            Assert.Equal(3, aggregate.Sla["global"].Successes);
            Assert.InRange(aggregate.Sla["global"].LatencyMs.Quantile(0.0)!.Value, 198, 202);
            Assert.InRange(aggregate.Sla["global"].LatencyMs.Quantile(1.0)!.Value, 495, 505);
        }

        // A line of spaces is blank; one holding a tab is not (as before): both files report the same lines.
        Assert.Equal([5L, 8L], plainErrors.Select(e => e.Line).Order());
        Assert.Equal(plainErrors.OrderBy(e => e.Line).Select(e => (e.Line, e.Message)), crlfErrors.OrderBy(e => e.Line).Select(e => (e.Line, e.Message)));
    }

    [Fact]
    public async Task ReadInteractions_ReplacedLineHeldTheFirstAndLastTimestamps_RangeIsOfTheLinesThatCount()
    {
        var path = Write("d.jsonl",
            Line("t1", 100, "success", "2026-11-28T08:00:00Z"),
            Line("t2", 100, "success", "2026-11-28T12:00:00Z"),
            Line("t3", 100, "success", "2026-11-28T10:00:00Z"),
            Line("t1", 100, "success", "2026-11-28T09:00:00Z"),
            Line("t2", 100, "success", "2026-11-28T11:00:00Z"));

        var aggregate = await Reader().ReadInteractionsAsync(path, null, null, e => Assert.Fail(e.ToString()));

        Assert.Equal(3, aggregate.Sla["global"].Requests);
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), aggregate.FirstTimestamp);
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), aggregate.LastTimestamp);
    }

    [Fact]
    public async Task ReadInteractions_RepeatedIdWithAnInvalidLastLine_EarlierValidLineCounts()
    {
        var path = Write("e.jsonl",
            Line("t1", 100, "success"),
            Line("t1", 200, "success"),
            "{\"trace_id\":\"t1\",\"status\":\"success\"}");
        var errors = new List<LineError>();

        var aggregate = await Reader().ReadInteractionsAsync(path, null, null, errors.Add);

        Assert.Equal(1, aggregate.Sla["global"].Requests);
        Assert.InRange(aggregate.Sla["global"].LatencyMs.Quantile(1.0)!.Value, 195, 205);
        Assert.Equal(3, Assert.Single(errors).Line);
    }

    [Fact]
    public async Task ReadInteractions_RepeatedIdWrittenWithEscapes_LastLineWins()
    {
        // 120 characters, each escaped: the line's bytes are far longer than the id.
        var escaped = string.Concat(Enumerable.Repeat("\\u0061", 120));
        var plain = new string('a', 120);
        var path = Write("f.jsonl",
            Line(escaped, 100, "success"),
            Line("t2", 300, "success"),
            Line(plain, 200, "success"));

        var aggregate = await Reader().ReadInteractionsAsync(path, null, null, e => Assert.Fail(e.ToString()));

        Assert.Equal(2, aggregate.Sla["global"].Requests);
        Assert.InRange(aggregate.Sla["global"].LatencyMs.Quantile(0.0)!.Value, 195, 205);
    }

    [Fact]
    public async Task ReadInteractions_ErrorHandlerThrows_TheExceptionReachesTheCallerAndNothingHangs()
    {
        // Many blocks (4 MiB each) of bad lines: every parser fails at once, with the reader still filling the queue.
        var bad = "{\"trace_id\":\"t\",\"status\":\"success\"" + new string(' ', 1000) + "}";
        var path = Write("g.jsonl", [.. Enumerable.Repeat(bad, 40_000)]);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Reader().ReadInteractionsAsync(path, null, null, e => throw new InvalidOperationException($"stop at {e.Line}")))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.StartsWith("stop at ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadInteractions_CancelledWhileReading_ThrowsOperationCanceled()
    {
        // A bad first line cancels the run from its error handler, with 60 MiB of lines still to read and parse.
        var path = Write("h.jsonl", ["{\"bad\":true}", .. Enumerable.Range(0, 200_000).Select(i => Line($"t{i}", 100, "success") + new string(' ', 200))]);
        using var cancel = new CancellationTokenSource();

        var read = Reader().ReadInteractionsAsync(path, null, null, _ => cancel.Cancel(), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(read.IsCanceled, $"the task is {read.Status}");
    }

    private static JsonlReportReader Reader(int workers = 2) => new(new InteractionNormalizer(PriceCatalog.Default), workers);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static string Line(string id, double latency, string status, string timestamp = "2026-11-28T10:00:00Z") =>
        $"{{\"trace_id\":\"{id}\",\"timestamp\":\"{timestamp}\",\"model\":\"gpt-4.1-mini\",\"status\":\"{status}\",\"latency_ms\":{latency}}}";
}
