using System.Text;
using Vigil.Evaluation.Calibration;
using Vigil.Reports;

namespace Vigil.Tests.Evaluation.Calibration;

public sealed class CalibrationFileReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-calibration-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_BadLinesDuplicatesAndBlankLines_JoinsTheRestAndNamesFileAndLine()
    {
        var evaluations = Write("e.jsonl",
            Evaluation("a", 4) + "\r",
            "",
            Evaluation("b", 2),
            """{"trace_id": "c", "overall": 4}""",
            Evaluation("a", 5),
            Evaluation("x", 3),
            Evaluation("x", 3));
        var human = Write("h.jsonl",
            """{"trace_id": "b", "overall": 2}""",
            """{"trace_id": "a", "overall": 5, "is_hallucination": false}""",
            """{"trace_id": "q", "overal": 5}""",
            "   ",
            """{"trace_id": "z", "safety": 5}""");
        var errors = new List<LineError>();

        var input = CalibrationFileReader.Read(evaluations, human, errors.Add);

        Assert.Equal(2, errors.Count);
        Assert.Equal((human, 3L), (errors[0].File, errors[0].Line));
        Assert.Contains("overal", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal((evaluations, 4L), (errors[1].File, errors[1].Line));
        Assert.Contains("judge_model", errors[1].Message, StringComparison.Ordinal);
        // Pairs in the order of the labels file; 'a' carries its last evaluation.
        Assert.Equal(["b", "a"], input.Pairs.Select(p => p.Human.TraceId));
        Assert.Equal(5.0, input.Pairs[1].Judge.Overall);
        Assert.Equal(1, input.UnmatchedEvaluations);
        Assert.Equal(1, input.UnmatchedHuman);
        Assert.Equal(new CalibrationFileStats(evaluations, 3, 1, 2), input.Evaluations);
        Assert.Equal(new CalibrationFileStats(human, 3, 1, 0), input.Human);
    }

    [Fact]
    public void Read_LinesLongerThanTheBlock_Parsed()
    {
        var reasoning = new string('r', 1990);
        var lines = Enumerable.Range(0, 2000).Select(i => Evaluation($"t{i}", 1 + (i % 5), reasoning)).ToArray();
        var evaluations = Write("e.jsonl", lines);
        var human = Write("h.jsonl", Enumerable.Range(0, 2000).Select(i => $$"""{"trace_id": "t{{i}}", "overall": {{1 + (i % 5)}}}""").ToArray());

        var input = CalibrationFileReader.Read(evaluations, human, e => Assert.Fail(e.ToString()));

        Assert.Equal(2000, input.Pairs.Count);
        Assert.All(input.Pairs, p => Assert.Equal(p.Human.Overall, p.Judge.Overall));
    }

    [Fact]
    public void Read_NoFile_Throws()
    {
        var human = Write("h.jsonl", """{"trace_id": "a", "overall": 5}""");

        Assert.ThrowsAny<IOException>(() => CalibrationFileReader.Read(Path.Combine(_dir, "missing.jsonl"), human, _ => { }));
    }

    private static string Evaluation(string id, double overall, string reasoning = "ok") =>
        $$"""{"trace_id": "{{id}}", "judge_model": "j", "relevance": 4, "coherence": 4, "faithfulness": 4, "safety": 5, "overall": {{overall}}, "is_hallucination": false, "reasoning": "{{reasoning}}"}""";

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }
}
