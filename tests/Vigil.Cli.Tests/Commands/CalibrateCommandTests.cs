using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vigil.Cli.Tests.Commands;

public sealed class CalibrateCommandTests : IDisposable
{
    // 20 answers scored by a person and by the judge. scikit-learn 1.2: cohen_kappa_score(human, judge) = 7/15,
    // cohen_kappa_score(human, judge, weights="quadratic") = 0.8568872987477638.
    private static readonly int[] Human = [5, 4, 4, 3, 5, 2, 1, 4, 5, 3, 3, 4, 2, 5, 4, 1, 3, 4, 5, 4];
    private static readonly int[] Judge = [5, 4, 3, 3, 4, 2, 2, 4, 5, 4, 3, 5, 1, 5, 4, 2, 3, 4, 4, 4];

    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-cli-calibrate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Calibrate_Json_HandComputedAgreementAndKappas()
    {
        var (evaluations, human) = WriteScores();

        var (code, stdout, stderr) = Run("evaluate", "calibrate", "--evaluations", evaluations, "--human", human, "--format", "json");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(20, root.GetProperty("matched").GetInt32());
        Assert.Equal(1, root.GetProperty("unmatched_evaluations").GetInt32());
        Assert.Equal(2, root.GetProperty("unmatched_human").GetInt32());
        var overall = root.GetProperty("dimensions").GetProperty("overall");
        Assert.Equal(20, overall.GetProperty("labeled").GetInt32());
        Assert.Equal(0.6, overall.GetProperty("exact_agreement").GetDouble(), 15);
        Assert.Equal(1.0, overall.GetProperty("within_one_agreement").GetDouble(), 15);
        Assert.Equal(7.0 / 15, overall.GetProperty("kappa").GetDouble(), 14);
        Assert.Equal(0.8568872987477638, overall.GetProperty("quadratic_weighted_kappa").GetDouble(), 14);
        long[][] matrix = [[0, 2, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 3, 1, 0], [0, 0, 1, 5, 1], [0, 0, 0, 2, 3]];
        Assert.Equal(matrix, overall.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray());
        // 60% exact agreement misses the seed's 85%.
        Assert.Equal("fail", overall.GetProperty("result").GetString());
        Assert.Equal("no_labels", root.GetProperty("dimensions").GetProperty("safety").GetProperty("result").GetString());
        // is_hallucination: human true for answers 0-3, judge true for 0-2 and 4: agreement 18/20, kappa (0.9 − 0.68) / 0.32.
        var hallucination = root.GetProperty("is_hallucination");
        Assert.Equal(0.9, hallucination.GetProperty("agreement").GetDouble(), 15);
        Assert.Equal((0.9 - 0.68) / 0.32, hallucination.GetProperty("kappa").GetDouble(), 14);
        Assert.Equal("pass", hallucination.GetProperty("result").GetString());
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(0.85, root.GetProperty("target").GetProperty("min_agreement").GetDouble());
        Assert.Equal("exact", root.GetProperty("target").GetProperty("agreement").GetString());
    }

    [Fact]
    public void Calibrate_WithinOneTarget_Passes()
    {
        var (evaluations, human) = WriteScores();

        var (code, stdout, _) = Run("evaluate", "calibrate", "-e", evaluations, "--human", human, "--format", "json", "--agreement", "within-one");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("pass", json.RootElement.GetProperty("dimensions").GetProperty("overall").GetProperty("result").GetString());
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal("within_one", json.RootElement.GetProperty("target").GetProperty("agreement").GetString());
    }

    [Fact]
    public void Calibrate_Table_IsAReadableSummary()
    {
        var (evaluations, human) = WriteScores();

        var (code, stdout, _) = Run("evaluate", "calibrate", "--evaluations", evaluations, "--human", human);

        Assert.Equal(0, code);
        Assert.Contains("matched 20; evaluations without a label 1; labels without an evaluation 2", stdout, StringComparison.Ordinal);
        Assert.Contains("overall", stdout, StringComparison.Ordinal);
        Assert.Contains("0.600", stdout, StringComparison.Ordinal);
        Assert.Contains("0.857", stdout, StringComparison.Ordinal);
        Assert.Contains("exact agreement 0.6 is not above 0.85", stdout, StringComparison.Ordinal);
        Assert.Contains("calibration: FAIL", stdout, StringComparison.Ordinal);
        Assert.Contains("rows human 1-5, columns judge 1-5", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_BadLines_NamedWithFileAndLine_ResultCoversTheRest_Exit2()
    {
        var (evaluations, human) = WriteScores();
        File.AppendAllText(human, """{"trace_id": "t0", "relevence": 4}""" + "\n" + "not json\n");

        var (code, stdout, stderr) = Run("evaluate", "calibrate", "--evaluations", evaluations, "--human", human, "--format", "json");

        Assert.Equal(2, code);
        Assert.Contains($"{human}:23: relevence", stderr, StringComparison.Ordinal);
        Assert.Contains($"{human}:24:", stderr, StringComparison.Ordinal);
        Assert.Contains("2 line(s) rejected", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(20, json.RootElement.GetProperty("matched").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("human").GetProperty("rejected_lines").GetInt32());
    }

    [Fact]
    public void Calibrate_NoTraceIdInCommon_Exit2()
    {
        var evaluations = Write("e.jsonl", Evaluation("a", 4, false));
        var human = Write("h.jsonl", """{"trace_id": "b", "overall": 4}""");

        var (code, stdout, stderr) = Run("evaluate", "calibrate", "--evaluations", evaluations, "--human", human);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("no trace_id is in both", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_NoValidLabels_Exit2NamingTheFile()
    {
        var evaluations = Write("e.jsonl", Evaluation("a", 4, false));
        var human = Write("h.jsonl", """{"trace_id": "a"}""");

        var (code, _, stderr) = Run("evaluate", "calibrate", "--evaluations", evaluations, "--human", human);

        Assert.Equal(2, code);
        Assert.Contains($"{human}:1: $: has no label", stderr, StringComparison.Ordinal);
        Assert.Contains($"{human}: no valid human labels", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_MissingFile_Exit2()
    {
        var human = Write("h.jsonl", """{"trace_id": "a", "overall": 4}""");

        var (code, _, stderr) = Run("evaluate", "calibrate", "--evaluations", Path.Combine(_dir, "nope.jsonl"), "--human", human);

        Assert.Equal(2, code);
        Assert.Contains("no such file", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--min-agreement", "1.5")]
    [InlineData("--min-kappa", "-2")]
    [InlineData("--agreement", "within-two")]
    [InlineData("--format", "xml")]
    public void Calibrate_BadOption_Exit2(string option, string value)
    {
        var (evaluations, human) = WriteScores();

        var (code, _, stderr) = Run("evaluate", "calibrate", "--evaluations", evaluations, "--human", human, option, value);

        Assert.Equal(2, code);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public void Calibrate_Help_ListsTheOptionsAndTheLabelSchema()
    {
        var (code, stdout, _) = Run("evaluate", "calibrate", "--help");

        Assert.Equal(0, code);
        foreach (var text in new[] { "--evaluations", "--human", "--format", "--min-agreement", "--agreement", "--min-kappa", "trace_id", "is_hallucination" })
        {
            Assert.Contains(text, stdout, StringComparison.Ordinal);
        }
    }

    private (string Evaluations, string Human) WriteScores()
    {
        var evaluations = new List<string>();
        var labels = new List<string>();
        for (var i = 0; i < Human.Length; i++)
        {
            evaluations.Add(Evaluation($"t{i}", Judge[i], hallucination: i is < 3 or 4));
            labels.Add(string.Create(CultureInfo.InvariantCulture, $$"""{"trace_id": "t{{i}}", "overall": {{Human[i]}}, "is_hallucination": {{(i < 4 ? "true" : "false")}}}"""));
        }

        evaluations.Add(Evaluation("judged-only", 3, false));
        labels.Add("""{"trace_id": "human-only-1", "overall": 3}""");
        labels.Add("""{"trace_id": "human-only-2", "relevance": 3}""");
        return (Write("e.jsonl", [.. evaluations]), Write("h.jsonl", [.. labels]));
    }

    private static string Evaluation(string id, double overall, bool hallucination) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"trace_id": "{{id}}", "judge_model": "judge", "relevance": 4, "coherence": 4, "faithfulness": 4, "safety": 5, "overall": {{overall}}, "is_hallucination": {{(hallucination ? "true" : "false")}}}""");

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
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
