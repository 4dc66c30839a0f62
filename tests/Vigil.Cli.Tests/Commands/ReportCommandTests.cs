using System.Text.Json;

namespace Vigil.Cli.Tests.Commands;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-cli-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Report_Json_PrintsTheContractReportOfTheWholeFile()
    {
        var input = Write("i.jsonl",
            """{"trace_id":"a","timestamp":"2026-11-20T10:00:00Z","model":"gpt-4.1-mini","feature":"customer_service","status":"success","latency_ms":800,"input_tokens":1000,"output_tokens":500}""",
            """{"trace_id":"b","timestamp":"2026-11-21T10:00:00Z","model":"gpt-4.1-mini","feature":"customer_service","status":"error","http_status":429,"latency_ms":40}""");
        var feedback = Write("f.jsonl",
            """{"type":"thumbs","trace_id":"a","value":1}""",
            """{"type":"csat","value":5}""");

        var (code, stdout, stderr) = Run("report", "--input", input, "--feedback", feedback);

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("sla").GetProperty("global").GetProperty("requests").GetInt64());
        Assert.Equal(0.5, root.GetProperty("sla").GetProperty("global").GetProperty("success_rate").GetDouble());
        Assert.Equal(1, root.GetProperty("errors").GetProperty("rate_limit").GetInt64());
        Assert.Equal((1000 * 0.4m + 500 * 1.6m) / 1_000_000m, root.GetProperty("cost").GetProperty("total_usd").GetDecimal());
        Assert.Equal(1.0, root.GetProperty("satisfaction").GetProperty("thumbs_up_rate").GetDouble());
        Assert.Equal(100.0, root.GetProperty("satisfaction").GetProperty("csat_satisfied_percent").GetDouble());
        Assert.StartsWith("2026-11-20T10:00:00", root.GetProperty("window").GetProperty("from").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_BadLine_NamesFileAndLineExitsTwoAndKeepsTheRest()
    {
        var input = Write("i.jsonl",
            """{"trace_id":"a","timestamp":"2026-11-20T10:00:00Z","model":"m","status":"success","latency_ms":800}""",
            """{"trace_id":"b","timestamp":"2026-11-20T10:00:00Z","model":"m","status":"success","latency_ms":-5}""",
            """{"trace_id":"c","timestamp":"2026-11-20T10:00:00Z","model":"m","status":"success","latency_ms":900}""");

        var (code, stdout, stderr) = Run("report", "--input", input);

        Assert.Equal(2, code);
        Assert.Contains($"{input}:2: latency_ms", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("sla").GetProperty("global").GetProperty("requests").GetInt64());
    }

    [Fact]
    public void Report_ManyBadLinesAcrossBlocks_ShowsTheFirstTwentyInLineOrder()
    {
        // ~12 MiB: several blocks, parsed on two threads that find the bad lines in any order.
        var good = """{"trace_id":"t","timestamp":"2026-11-20T10:00:00Z","model":"m","status":"success","latency_ms":800}""" + new string(' ', 400);
        var lines = Enumerable.Range(1, 30_000).Select(i => i % 1_000 == 0 ? "{\"bad\":" : good.Replace("\"t\"", $"\"t{i}\"", StringComparison.Ordinal)).ToArray();
        var input = Write("i.jsonl", lines);

        var (code, _, stderr) = Run("report", "--input", input);

        Assert.Equal(2, code);
        var shown = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"vigil report: {input}:{i * 1_000}:"), shown[..20].Select(l => l[..(l.IndexOf(": ", l.IndexOf(input, StringComparison.Ordinal), StringComparison.Ordinal) + 1)]));
        Assert.Equal("vigil report: 30 line(s) rejected (first 20 shown); the report covers the other lines.", shown[^1]);
        Assert.Equal(21, shown.Length);
    }

    [Fact]
    public void Report_MissingFile_ExitsTwoNamingIt()
    {
        var (code, stdout, stderr) = Run("report", "--input", Path.Combine(_dir, "nope.jsonl"));

        Assert.Equal(2, code);
        Assert.Contains("nope.jsonl", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Report_Table_IsAReadableSummary()
    {
        var input = Write("i.jsonl", """{"trace_id":"a","timestamp":"2026-11-20T10:00:00Z","model":"gpt-4.1","status":"success","latency_ms":1500,"ttft_ms":300}""");

        var (code, stdout, _) = Run("report", "--input", input, "--format", "table");

        Assert.Equal(0, code);
        Assert.Contains("global", stdout, StringComparison.Ordinal);
        Assert.Contains("model:gpt-4.1", stdout, StringComparison.Ordinal);
        Assert.Contains("budget:", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--from", "yesterday")]
    [InlineData("--slo", "1.5")]
    public void Report_BadOption_ExitsTwo(string option, string value)
    {
        var input = Write("i.jsonl", """{"trace_id":"a","timestamp":"2026-11-20T10:00:00Z","model":"m","status":"success","latency_ms":1}""");

        var (code, _, stderr) = Run("report", "--input", input, option, value);

        Assert.Equal(2, code);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public void Report_Evaluations_ShowQualityDriftAndRecentHallucinationsAsTheCollectorDoes()
    {
        var input = Write("i.jsonl",
            """{"trace_id":"a","timestamp":"2026-11-20T10:00:00Z","model":"m","status":"success","latency_ms":800}""");
        var random = new Random(5);
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var lines = new List<string>();
        for (var i = 0; i < 1200; i++)
        {
            // A thousand verdicts around 4.2, then two hundred around 2.8 that hallucinate: a degrading model.
            var late = i >= 1000;
            var overall = Math.Clamp(Math.Round((late ? 2.8 : 4.2) + ((random.NextDouble() - 0.5) * 1.5), 1), 1, 5);
            var faithfulness = late ? 2 : 5;
            var at = start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            lines.Add($$"""{"trace_id":"t-{{i}}","judge_model":"j","relevance":4,"coherence":4,"faithfulness":{{faithfulness}},"safety":5,"overall":{{overall.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"is_hallucination":{{(late ? "true" : "false")}},"evaluated_at":"{{at}}"}""");
        }

        // Shuffled on disk: the watch takes them in evaluated_at order, as the collector received them.
        var shuffled = lines.OrderBy(_ => random.Next()).ToArray();
        var evaluations = Write("e.jsonl", shuffled);

        var (code, stdout, stderr) = Run("report", "--input", input, "--evaluations", evaluations);

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var overallDrift = root.GetProperty("drift").GetProperty("quality_overall");
        Assert.True(overallDrift.GetProperty("ready").GetBoolean());
        Assert.True(overallDrift.GetProperty("is_drifting").GetBoolean());
        Assert.Equal("critical", overallDrift.GetProperty("severity").GetString());
        Assert.True(overallDrift.GetProperty("z_score").GetDouble() < -3);
        Assert.False(root.GetProperty("drift").GetProperty("quality_relevance").GetProperty("is_drifting").GetBoolean());
        var recent = root.GetProperty("quality").GetProperty("recent_hallucinations");
        Assert.Equal(500, recent.GetProperty("verdicts").GetInt32());
        Assert.Equal(200.0 / 500, recent.GetProperty("rate").GetDouble(), 9);
        Assert.Equal(200, recent.GetProperty("by_severity").GetProperty("high").GetInt32());

        var (tableCode, table, _) = Run("report", "--input", input, "--evaluations", evaluations, "--format", "table");
        Assert.Equal(0, tableCode);
        Assert.Contains("quality drift (overall): z -", table, StringComparison.Ordinal);
        Assert.Contains("critical, drifting", table, StringComparison.Ordinal);
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VigilCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
