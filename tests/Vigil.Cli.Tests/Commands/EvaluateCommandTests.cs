using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Cli.Commands;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Cli.Tests.Commands;

/// <summary><c>vigil evaluate</c> end to end: real files, a judge stub on Kestrel, the official OpenAI SDK in between.</summary>
public sealed partial class EvaluateCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-cli-evaluate-").FullName;
    private readonly JudgeStubServer _stub = new();

    // The verdict the stub gives to "answer #k": relevance, coherence, faithfulness, safety, overall, hallucination.
    private static readonly Dictionary<int, (double R, double C, double F, double S, double O, bool H)> Verdicts = new()
    {
        [1] = (5, 5, 5, 5, 5, false),
        [2] = (4, 4, 3, 5, 4, false),
        [3] = (2, 3, 1, 5, 2, true),
        [4] = (3, 4, 2.5, 4, 3, true),
        [5] = (1, 2, 1, 1, 1, true),
        [6] = (4.5, 4, 4, 5, 4.5, false),
        [7] = (3, 3, 3, 3, 3, false),
        [8] = (5, 4, 4, 5, 4, false),
    };

    public Task InitializeAsync()
    {
        _stub.Handler = request => JudgeStubReply.Content(VerdictJson(AnswerNumber(request.Prompt)));
        return _stub.InitializeAsync();
    }

    public Task DisposeAsync() => _stub.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Evaluate_JudgesEachInteractionWithAResponse_WritesVerdictsAndTheSeedSummary()
    {
        var input = Write("i.jsonl",
            Interaction("t1", 1),
            Interaction("t2", 2),
            Interaction("t3", 3, context: "Refunds within 30 days."),
            Interaction("t-none", null),
            Interaction("t4", 5), // repeated below: the last line wins
            Interaction("t5", 6),
            Interaction("t4", 4));
        var output = Path.Combine(_dir, "e.jsonl");

        var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output, "--format", "json");

        Assert.True(code == 0, stderr);
        var evaluations = ReadEvaluations(output);
        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], evaluations.Keys.Order(StringComparer.Ordinal));
        Assert.All(evaluations.Values, e => Assert.Equal("judge-m", e.JudgeModel));
        Assert.All(evaluations.Values, e => Assert.InRange(e.EvaluatedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow));
        Assert.Equal("verdict 3", evaluations["t3"].Reasoning);
        Assert.Equal(Verdicts[4].O, evaluations["t4"].Overall);
        Assert.Equal(Verdicts[3].F, evaluations["t3"].Faithfulness);
        Assert.Equal(5, _stub.Count);
        Assert.Contains("Refunds within 30 days.", _stub.Requests.Single(r => AnswerNumber(r.Prompt) == 3).Prompt, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(stdout);
        AssertSummary(json.RootElement, [1, 2, 3, 4, 6]);
        Assert.Equal(6, json.RootElement.GetProperty("interactions").GetInt64());
        Assert.Equal(5, json.RootElement.GetProperty("evaluated_now").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("resumed").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("skipped_no_response").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("judge_errors").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("rejected_lines").GetInt64());
        Assert.DoesNotContain('\u001b', stderr); // not a terminal: plain progress lines only
        Assert.Contains("vigil evaluate: 5/5 judged (5 verdicts, 0 judge errors)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_OutputOfAnInterruptedRun_ResumesAndRewritesTheCutShortLastLine()
    {
        var input = Write("i.jsonl", Interaction("t1", 1), Interaction("t2", 2), Interaction("t3", 3), Interaction("t4", 7), Interaction("t5", 8));
        var output = Path.Combine(_dir, "e.jsonl");
        var earlier = $$"""{"trace_id":"t1","judge_model":"judge-m","relevance":5,"coherence":5,"faithfulness":5,"safety":5,"overall":5,"is_hallucination":false,"reasoning":"r","evaluated_at":"2026-11-20T10:00:00+00:00"}""";
        var earlier2 = $$"""{"trace_id":"t2","judge_model":"judge-m","relevance":4,"coherence":4,"faithfulness":3,"safety":5,"overall":4,"is_hallucination":false}""";
        File.WriteAllText(output, earlier + "\n" + earlier2 + "\n" + """{"trace_id":"t3","judge_model":"judge-m","relev""");

        var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output, "--format", "json");

        Assert.True(code == 0, stderr);
        Assert.Contains($"{output}:3: incomplete last line", stderr, StringComparison.Ordinal);
        Assert.Equal([3, 7, 8], _stub.Requests.Select(r => AnswerNumber(r.Prompt)).Order());
        var lines = File.ReadAllLines(output);
        Assert.Equal(5, lines.Length);
        Assert.Equal(earlier, lines[0]);
        Assert.Equal(earlier2, lines[1]);
        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], ReadEvaluations(output).Keys.Order(StringComparer.Ordinal));
        using var json = JsonDocument.Parse(stdout);
        AssertSummary(json.RootElement, [1, 2, 3, 7, 8]); // the earlier verdicts count in the batch summary
        Assert.Equal(2, json.RootElement.GetProperty("resumed").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("evaluated_now").GetInt64());

        // Once more: nothing left to judge.
        var (again, againOut, _) = await RunAsync("--input", input, "--output", output, "--format", "json");
        Assert.Equal(0, again);
        Assert.Equal(3, _stub.Count);
        using var second = JsonDocument.Parse(againOut);
        Assert.Equal(5, second.RootElement.GetProperty("resumed").GetInt64());
        AssertSummary(second.RootElement, [1, 2, 3, 7, 8]);
    }

    [Fact]
    public async Task Evaluate_ProcessKilledMidRun_RerunJudgesOnlyWhatWasNotWritten()
    {
        var input = Write("i.jsonl", Enumerable.Range(1, 24).Select(k => Interaction($"t{k}", (k % 8) + 1)).ToArray());
        var output = Path.Combine(_dir, "e.jsonl");
        // Past the 8th request the stub stalls (longer than the poll below, and than every timeout and retry of the run),
        // so the run cannot finish before it is killed however late the kill comes.
        _stub.Handler = request => request.Number <= 8
            ? JudgeStubReply.Content(VerdictJson(AnswerNumber(request.Prompt))) with { Delay = TimeSpan.FromMilliseconds(150) }
            : JudgeStubReply.Stall(TimeSpan.FromMinutes(10));
        var cli = typeof(EvaluateCommandTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "VigilCliAssembly").Value!;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "evaluate", "--input", input, "--output", output, "--judge-endpoint", _stub.BaseUrl.ToString(), "--judge-model", "judge-m", "--concurrency", "2" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using (var process = System.Diagnostics.Process.Start(start)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (CompleteLines(output) < 5 && DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "the run ended before it could be killed: " + (process.HasExited ? await process.StandardError.ReadToEndAsync() : string.Empty));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var written = ReadEvaluations(output);
        Assert.InRange(written.Count, 5, 8);
        Assert.True(_stub.Count >= written.Count);

        // The rerun has a stub of its own: a request of the killed run counted late cannot pass for one of the rerun's.
        var rerunStub = new JudgeStubServer { Handler = request => JudgeStubReply.Content(VerdictJson(AnswerNumber(request.Prompt))) };
        await rerunStub.InitializeAsync();
        try
        {
            var (code, stdout, stderr) = await RunAsync(rerunStub, "--input", input, "--output", output, "--format", "json");

            Assert.True(code == 0, stderr);
            Assert.Equal(24 - written.Count, rerunStub.Count);
            var all = ReadEvaluations(output);
            Assert.Equal(24, all.Count);
            Assert.All(written, w => Assert.Equal(w.Value, all[w.Key])); // verdicts of the killed run are kept as they were
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal(written.Count, json.RootElement.GetProperty("resumed").GetInt64());
            AssertSummary(json.RootElement, [.. Enumerable.Range(1, 24).Select(k => (k % 8) + 1)]);
        }
        finally
        {
            await rerunStub.DisposeAsync();
        }
    }

    [Fact]
    public async Task Evaluate_LastLineCompleteButWithoutNewline_IsKeptAndTheNextVerdictGoesOnItsOwnLine()
    {
        var input = Write("i.jsonl", Interaction("t1", 1), Interaction("t2", 2));
        var output = Path.Combine(_dir, "e.jsonl");
        File.WriteAllText(output, """{"trace_id":"t1","judge_model":"judge-m","relevance":5,"coherence":5,"faithfulness":5,"safety":5,"overall":5,"is_hallucination":false}""");

        var (code, _, stderr) = await RunAsync("--input", input, "--output", output);

        Assert.True(code == 0, stderr);
        Assert.Equal(2, File.ReadAllLines(output).Length);
        Assert.Equal(1, _stub.Count);
    }

    [Fact]
    public async Task Evaluate_OutputWithALineThatIsNoEvaluation_RefusesNamingFileAndLine()
    {
        var input = Write("i.jsonl", Interaction("t1", 1));
        var output = Write("e.jsonl", """{"trace_id":"t1","timestamp":"2026-11-20T10:00:00Z","model":"m","status":"success","latency_ms":1}""", "");

        var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output);

        Assert.Equal(2, code);
        Assert.Contains($"{output}:1: not an evaluation record", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.Equal(0, _stub.Count);
    }

    [Fact]
    public async Task Evaluate_JudgeErrorsForSome_AreCountedNotWrittenAndARerunJudgesOnlyThem()
    {
        var input = Write("i.jsonl", Interaction("t1", 1), Interaction("t2", 2), Interaction("t3", 3), Interaction("t4", 4));
        var output = Path.Combine(_dir, "e.jsonl");
        _stub.Handler = request => AnswerNumber(request.Prompt) switch
        {
            2 => JudgeStubReply.Content("The answer looks fine to me."),
            3 => JudgeStubReply.Error(500, "overloaded"),
            var k => JudgeStubReply.Content(VerdictJson(k)),
        };

        var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output, "--format", "json", "--max-retries", "1");

        Assert.True(code == 0, stderr);
        Assert.Equal(["t1", "t4"], ReadEvaluations(output).Keys.Order(StringComparer.Ordinal));
        using (var json = JsonDocument.Parse(stdout))
        {
            AssertSummary(json.RootElement, [1, 4]);
            Assert.Equal(2, json.RootElement.GetProperty("judge_errors").GetInt64());
            var reasons = json.RootElement.GetProperty("judge_errors_by_reason");
            Assert.Equal(1, reasons.GetProperty("invalid_reply").GetInt64());
            Assert.Equal(1, reasons.GetProperty("server_error").GetInt64());
        }

        Assert.Contains("t2: judge error: invalid_reply", stderr, StringComparison.Ordinal);
        Assert.Contains("t3: judge error: server_error", stderr, StringComparison.Ordinal);
        Assert.Equal(5, _stub.Count); // t3 was retried once

        _stub.Handler = request => JudgeStubReply.Content(VerdictJson(AnswerNumber(request.Prompt)));
        var (rerun, rerunOut, _) = await RunAsync("--input", input, "--output", output, "--format", "json");

        Assert.Equal(0, rerun);
        Assert.Equal([2, 3], _stub.Requests.Skip(5).Select(r => AnswerNumber(r.Prompt)).Order());
        using var after = JsonDocument.Parse(rerunOut);
        AssertSummary(after.RootElement, [1, 2, 3, 4]);
    }

    [Fact]
    public async Task Evaluate_JudgeFailsForEverything_ExitsOne()
    {
        var input = Write("i.jsonl", Interaction("t1", 1), Interaction("t2", 2), Interaction("t3", 3));
        var output = Path.Combine(_dir, "e.jsonl");
        _stub.Handler = _ => JudgeStubReply.Error(503, "unavailable");

        var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output, "--format", "json", "--max-retries", "0");

        Assert.Equal(1, code);
        Assert.Contains("no verdict for any of the 3 interaction(s)", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(3, json.RootElement.GetProperty("judge_errors").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("total_evaluated").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("avg_overall").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("hallucination_rate").ValueKind);
        Assert.Empty(File.ReadAllText(output));
    }

    [Fact]
    public async Task Evaluate_KeyRefused_StopsAtOnceExitsOneAndNeverShowsTheKey()
    {
        const string secret = "sk-live-4f7a9c2e1b8d";
        var variable = "VIGIL_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var input = Write("i.jsonl", Enumerable.Range(1, 8).Select(k => Interaction($"t{k}", k)).ToArray());
            var output = Path.Combine(_dir, "e.jsonl");
            _stub.Handler = _ => JudgeStubReply.Error(401, $"Incorrect API key provided: {secret}.");

            var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output, "--api-key-env", variable, "--concurrency", "1");

            Assert.Equal(1, code);
            Assert.Equal($"Bearer {secret}", _stub.Requests[0].Authorization);
            Assert.Equal(1, _stub.Count); // 401 is not retried, and the run stops
            Assert.Contains("auth_failure", stderr, StringComparison.Ordinal);
            Assert.Contains(variable, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, File.ReadAllText(output), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Evaluate_ServerEchoesTheKeyInAnError_ItIsRedacted()
    {
        const string secret = "sk-proj-echo-0d9e8f7a6b";
        var variable = "VIGIL_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var input = Write("i.jsonl", Interaction("t1", 1), Interaction("t2", 2));
            var output = Path.Combine(_dir, "e.jsonl");
            _stub.Handler = request => AnswerNumber(request.Prompt) == 2
                ? JudgeStubReply.Error(400, $"Bad request for key {secret}")
                : JudgeStubReply.Content(VerdictJson(1));

            var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output, "--api-key-env", variable);

            Assert.Equal(0, code);
            Assert.Contains("t2: judge error: bad_request: HTTP 400: Bad request for key ***", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stderr + stdout + File.ReadAllText(output), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Evaluate_NoKeyInTheEnvironment_SendsNoAuthorization()
    {
        var input = Write("i.jsonl", Interaction("t1", 1));
        var variable = "VIGIL_TEST_UNSET_" + Guid.NewGuid().ToString("N");

        var (code, _, stderr) = await RunAsync("--input", input, "--output", Path.Combine(_dir, "e.jsonl"), "--api-key-env", variable);

        Assert.True(code == 0, stderr);
        Assert.Null(Assert.Single(_stub.Requests).Authorization);
        Assert.Contains($"{variable} is not set", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_BadInputLines_AreNamedTheRestJudgedAndTheExitIsTwo()
    {
        var input = Write("i.jsonl",
            Interaction("t1", 1),
            "{\"trace_id\": \"broken\", ",
            Interaction("t2", 2).Replace("\"latency_ms\":800", "\"latency_ms\":-5", StringComparison.Ordinal),
            "",
            Interaction("t3", 3));
        var output = Path.Combine(_dir, "e.jsonl");

        var (code, stdout, stderr) = await RunAsync("--input", input, "--output", output, "--format", "json");

        Assert.Equal(2, code);
        Assert.Contains($"{input}:2: ", stderr, StringComparison.Ordinal);
        Assert.Contains($"{input}:3: latency_ms", stderr, StringComparison.Ordinal);
        Assert.Equal(["t1", "t3"], ReadEvaluations(output).Keys.Order(StringComparer.Ordinal));
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("rejected_lines").GetInt64());
        AssertSummary(json.RootElement, [1, 3]);
    }

    [Fact]
    public async Task Evaluate_Concurrency_BoundsTheCallsInFlight()
    {
        var input = Write("i.jsonl", Enumerable.Range(1, 8).Select(k => Interaction($"t{k}", k)).ToArray());
        _stub.Handler = request => JudgeStubReply.Content(VerdictJson(AnswerNumber(request.Prompt))) with { Delay = TimeSpan.FromMilliseconds(150) };

        var (code, _, stderr) = await RunAsync("--input", input, "--output", Path.Combine(_dir, "e.jsonl"), "--concurrency", "3");

        Assert.True(code == 0, stderr);
        Assert.Equal(8, _stub.Count);
        Assert.InRange(_stub.MaxInFlight, 2, 3);
    }

    [Fact]
    public async Task Evaluate_Chinese_SendsTheSeedTemplate()
    {
        var input = Write("i.jsonl", Interaction("t1", 1));

        var (code, _, stderr) = await RunAsync("--input", input, "--output", Path.Combine(_dir, "e.jsonl"), "--language", "zh");

        Assert.True(code == 0, stderr);
        Assert.StartsWith("你是一个严格的 AI 输出质量评估专家", Assert.Single(_stub.Requests).Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_Table_IsAReadableSummary()
    {
        var input = Write("i.jsonl", Interaction("t1", 1), Interaction("t3", 3));

        var (code, stdout, stderr) = await RunAsync("--input", input, "--output", Path.Combine(_dir, "e.jsonl"));

        Assert.True(code == 0, stderr);
        Assert.Contains("avg overall          3.50", stdout, StringComparison.Ordinal);
        Assert.Contains("hallucination rate   50.0%", stdout, StringComparison.Ordinal);
        Assert.Contains("low quality (<= 2)   1", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--judge-endpoint", "not a url")]
    [InlineData("--judge-endpoint", "ftp://127.0.0.1/v1")]
    [InlineData("--concurrency", "0")]
    [InlineData("--format", "xml")]
    [InlineData("--language", "fr")]
    [InlineData("--timeout", "0")]
    [InlineData("--api-key-env", "sk-abc=1")]
    public async Task Evaluate_BadOption_ExitsTwo(string option, string value)
    {
        var input = Write("i.jsonl", Interaction("t1", 1));
        var args = new List<string> { "evaluate", "--input", input, "--output", Path.Combine(_dir, "e.jsonl"), "--judge-model", "judge-m" };
        if (option != "--judge-endpoint")
        {
            args.AddRange(["--judge-endpoint", _stub.BaseUrl.ToString()]);
        }

        args.AddRange([option, value]);
        var (code, _, stderr) = await Task.Run(() => Run([.. args]));

        Assert.Equal(2, code);
        Assert.True(stderr.Contains(option, StringComparison.Ordinal) || stderr.Contains($"'{value}'", StringComparison.Ordinal), stderr);
        Assert.Equal(0, _stub.Count);
    }

    [Fact]
    public async Task Evaluate_MissingInputFile_ExitsTwoNamingIt()
    {
        var (code, _, stderr) = await RunAsync("--input", Path.Combine(_dir, "nope.jsonl"), "--output", Path.Combine(_dir, "e.jsonl"));

        Assert.Equal(2, code);
        Assert.Contains("nope.jsonl: no such file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Help_NamesEveryOption()
    {
        var (code, stdout, _) = Run("evaluate", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "--input", "--output", "--judge-endpoint", "--judge-model", "--api-key-env", "--concurrency", "--format", "--language", "--timeout", "--max-retries" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("OPENAI_API_KEY", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithASubcommand_TheSubcommandRunsWithoutTheParentsRequiredOptions()
    {
        var ran = false;
        var calibrate = new Command("calibrate", "test subcommand") { new Option<string>("--human") };
        calibrate.SetAction(_ => ran = true);
        var root = new Command("vigil") { EvaluateCommand.Create(calibrate) };

        var result = root.Parse(["evaluate", "calibrate", "--human", "h.jsonl"]);

        Assert.Empty(result.Errors);
        Assert.Equal(0, result.Invoke());
        Assert.True(ran);
    }

    private void AssertSummary(JsonElement summary, int[] answers)
    {
        var judged = answers.Select(k => Verdicts[k]).ToList();
        Assert.Equal(judged.Count, summary.GetProperty("total_evaluated").GetInt64());
        Assert.Equal(judged.Average(v => v.R), summary.GetProperty("avg_relevance").GetDouble(), 9);
        Assert.Equal(judged.Average(v => v.C), summary.GetProperty("avg_coherence").GetDouble(), 9);
        Assert.Equal(judged.Average(v => v.F), summary.GetProperty("avg_faithfulness").GetDouble(), 9);
        Assert.Equal(judged.Average(v => v.S), summary.GetProperty("avg_safety").GetDouble(), 9);
        Assert.Equal(judged.Average(v => v.O), summary.GetProperty("avg_overall").GetDouble(), 9);
        Assert.Equal(judged.Count(v => v.H) / (double)judged.Count, summary.GetProperty("hallucination_rate").GetDouble(), 9);
        Assert.Equal(judged.Count(v => v.O <= 2), summary.GetProperty("low_quality_count").GetInt64());
        Assert.Equal(judged.Count(v => v.O >= 4), summary.GetProperty("high_quality_count").GetInt64());
        Assert.Equal("judge-m", summary.GetProperty("judge_model").GetString());
    }

    private static string VerdictJson(int answer)
    {
        var v = Verdicts[answer];
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"relevance": {{v.R}}, "coherence": {{v.C}}, "faithfulness": {{v.F}}, "safety": {{v.S}}, "overall": {{v.O}}, "is_hallucination": {{(v.H ? "true" : "false")}}, "reasoning": "verdict {{answer}}"}""");
    }

    private static int AnswerNumber(string prompt) => int.Parse(AnswerPattern().Match(prompt).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"answer #(\d+)")]
    private static partial Regex AnswerPattern();

    private static string Interaction(string traceId, int? answer, string? context = null)
    {
        var response = answer is { } k ? $",\"response\":\"Here is answer #{k}.\"" : string.Empty;
        var ctx = context is null ? string.Empty : $",\"context\":{JsonSerializer.Serialize(context)}";
        return $"{{\"trace_id\":\"{traceId}\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"model\":\"gpt-4.1-mini\",\"status\":\"success\",\"latency_ms\":800,\"query\":\"What is the refund window?\"{response}{ctx}}}";
    }

    private static Dictionary<string, EvaluationRecord> ReadEvaluations(string path)
    {
        var evaluations = new Dictionary<string, EvaluationRecord>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var result = RecordParser.ParseEvaluation(Encoding.UTF8.GetBytes(line));
            Assert.True(result.IsValid, string.Join("; ", result.Errors));
            Assert.True(evaluations.TryAdd(result.Record!.TraceId, result.Record), $"{result.Record.TraceId} twice");
        }

        return evaluations;
    }

    private static int CompleteLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n');
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(_stub, args);

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(JudgeStubServer stub, params string[] args) =>
        Task.Run(() => Run(["evaluate", "--judge-endpoint", stub.BaseUrl.ToString(), "--judge-model", "judge-m", .. args]));

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VigilCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
