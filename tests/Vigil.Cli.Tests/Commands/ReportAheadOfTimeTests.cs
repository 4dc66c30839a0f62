using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Cli.Tests.Commands;

/// <summary>
/// <c>./vigil report</c> runs the ahead-of-time build of the command (src/Vigil.Cli.Report): the same source files,
/// compiled natively. Whatever it is given, it must answer exactly as the command does inside <c>vigil</c>.
/// </summary>
public sealed class ReportAheadOfTimeTests : IDisposable
{
    private static readonly string[] Models = ["gpt-4.1", "gpt-4.1-mini", "claude-sonnet-4", "claude-haiku-3.5", "my-own-model"];
    private static readonly string[] Features = ["search", "chat", "summarize"];
    private static readonly string[] Tiers = ["free", "pro", "enterprise"];

    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-report-aot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task VigilScriptReport_RunsTheNativeBuild_WithTheSameOutputMessagesAndExitCodesAsInsideVigil()
    {
        var (input, feedback, evaluations) = WriteFiles();
        string[][] cases =
        [
            ["report", "--input", input, "--feedback", feedback, "--evaluations", evaluations],
            ["report", "-i", input, "--format", "table", "--from", "2026-11-20T06:00:00Z", "--to", "2026-11-20T18:00:00+01:00"],
            ["report", "--input", input, "--monthly-budget", "12.5", "--slo", "0.99", "--feedback", feedback],
            ["report", "--input", input, "--slo", "2"],
            ["report", "--input", Path.Combine(_dir, "missing.jsonl")],
            ["report", "--input", input, "--format", "xml"],
            ["report", "--help"],
        ];

        foreach (var args in cases)
        {
            var expected = InProcess(args);
            var actual = await ThroughScriptAsync(args);

            var what = string.Join(' ', args);
            Assert.True(expected.Code == actual.Code, $"{what}: exit {actual.Code}, inside vigil {expected.Code}; stderr: {actual.Stderr}");
            Assert.Equal(expected.Stdout, actual.Stdout);
            Assert.Equal(expected.Stderr, actual.Stderr);
        }

        Assert.Contains("\"requests\":", InProcess(cases[0]).Stdout, StringComparison.Ordinal);
        Assert.Contains("(first 20 shown)", InProcess(cases[0]).Stderr, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture is Architecture.X64 or Architecture.Arm64)
        {
            Assert.True(File.Exists(Path.Combine(RepositoryRoot(), ".vigil", "report", "vigil-report")),
                "./vigil did not build the native report (see .vigil/build.log)");
        }
    }

    // Interactions of every kind the fast and the full reader take: errors hard and soft, costs given and priced,
    // repeated ids, escapes and non-ASCII text, odd number forms, and some bad lines.
    private (string Input, string Feedback, string Evaluations) WriteFiles()
    {
        var random = new Random(20261128);
        var lines = new StringBuilder();
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 20_000; i++)
        {
            if (i % 400 == 7)
            {
                // 50 bad lines: more than the 20 shown, found by both parsers in any order.
                lines.Append(i % 800 == 7 ? "{\"trace_id\":\"broken\"," : "{\"trace_id\":\"t-bad\",\"timestamp\":\"2026-11-20T00:00:00Z\",\"model\":\"m\",\"status\":\"success\",\"latency_ms\":-1}").Append('\n');
                continue;
            }

            var id = random.Next(10) == 0 ? $"t-{random.Next(i + 1)}" : $"t-{i}";
            var at = start.AddSeconds(i * 4.32 + random.NextDouble());
            var status = random.Next(12) == 0 ? "error" : "success";
            var line = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{{\"trace_id\":\"{id}\",\"timestamp\":\"{at.ToString(i % 3 == 0 ? "yyyy-MM-ddTHH:mm:ss.fffZ" : "yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}\"")
                .Append(CultureInfo.InvariantCulture, $",\"model\":\"{Models[random.Next(Models.Length)]}\",\"feature\":\"{Features[random.Next(Features.Length)]}\"")
                .Append(CultureInfo.InvariantCulture, $",\"user_id\":\"u-{random.Next(300)}\",\"user_tier\":\"{Tiers[random.Next(Tiers.Length)]}\",\"status\":\"{status}\"");
            if (status == "error")
            {
                line.Append(random.Next(3) switch { 0 => ",\"http_status\":429", 1 => ",\"http_status\":503", _ => string.Empty });
            }
            else if (random.Next(15) == 0)
            {
                line.Append(",\"error_type\":\"refusal\"");
            }

            line.Append(CultureInfo.InvariantCulture, $",\"latency_ms\":{Math.Round(50 + (random.NextDouble() * 4000), 1)}");
            if (random.Next(2) == 0)
            {
                line.Append(CultureInfo.InvariantCulture, $",\"ttft_ms\":{(random.Next(4) == 0 ? "2.5e2" : $"{random.Next(100, 900)}")}");
            }

            line.Append(CultureInfo.InvariantCulture, $",\"input_tokens\":{random.Next(50, 3000)},\"output_tokens\":{random.Next(10, 800)}");
            if (random.Next(3) == 0)
            {
                line.Append(CultureInfo.InvariantCulture, $",\"cost_usd\":{(random.NextDouble() / 100).ToString("0.#########", CultureInfo.InvariantCulture)}");
            }

            line.Append(random.Next(4) switch { 0 => ",\"cache\":\"hit\"", 1 => ",\"cache\":\"miss\"", _ => string.Empty })
                .Append(random.Next(20) == 0 ? ",\"degradation\":\"model_fallback\"" : string.Empty)
                .Append(",\"query\":\"Wie sp\\u00e4t ist es? \\\"jetzt\\\"\",\"response\":\"Es ist sp\u00e4t \u2014 22 Uhr.\"")
                .Append(",\"attributes\":{\"region\":\"eu\"}}");
            lines.Append(line).Append('\n');
        }

        var input = Path.Combine(_dir, "interactions.jsonl");
        File.WriteAllText(input, lines.ToString());
        var feedback = Path.Combine(_dir, "feedback.jsonl");
        File.WriteAllLines(feedback,
        [
            "{\"type\":\"thumbs\",\"trace_id\":\"t-1\",\"value\":1}",
            "{\"type\":\"thumbs\",\"trace_id\":\"t-2\",\"value\":0}",
            "{\"type\":\"rating\",\"trace_id\":\"t-3\",\"value\":4}",
            "{\"type\":\"csat\",\"value\":5}",
            "{\"type\":\"nps\",\"value\":9}",
            "{\"type\":\"nps\",\"value\":3}",
            "{\"type\":\"thumbs\",\"value\":7}",
        ]);
        var evaluations = Path.Combine(_dir, "evaluations.jsonl");
        File.WriteAllLines(evaluations,
        [
            "{\"trace_id\":\"t-1\",\"judge_model\":\"gpt-4.1\",\"relevance\":5,\"coherence\":4,\"faithfulness\":4,\"safety\":5,\"overall\":4.5,\"is_hallucination\":false,\"evaluated_at\":\"2026-11-20T01:00:00Z\"}",
            "{\"trace_id\":\"t-9\",\"judge_model\":\"gpt-4.1\",\"relevance\":2,\"coherence\":3,\"faithfulness\":1,\"safety\":5,\"overall\":2.75,\"is_hallucination\":true}",
        ]);
        return (input, feedback, evaluations);
    }

    private static (int Code, string Stdout, string Stderr) InProcess(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VigilCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ThroughScriptAsync(string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "vigil"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The first call may build the command line (./test builds it before the tests, so this is the rare case).
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var errors = (await stderr).ReplaceLineEndings("\n");
        // The build's own notice, when this call had to build, is not the report's.
        errors = string.Join('\n', errors.Split('\n').Where(l => !l.StartsWith("vigil: building", StringComparison.Ordinal)));
        return (process.ExitCode, (await stdout).ReplaceLineEndings("\n"), errors);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "vigil")) && File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no repository (with ./vigil) above {AppContext.BaseDirectory}");
    }
}
