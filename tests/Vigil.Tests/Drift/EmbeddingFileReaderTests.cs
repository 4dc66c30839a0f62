using Vigil.Drift;
using Vigil.Reports;

namespace Vigil.Tests.Drift;

public sealed class EmbeddingFileReaderTests
{
    [Fact]
    public void Read_ObjectsAndBareArrays_OtherFieldsIgnored()
    {
        var (set, errors) = Read(
            """{"id": 1, "embedding": [0.5, -1, 2e-3], "text": "hello"}""",
            "",
            "[1, 2, 3]");

        Assert.Empty(errors);
        Assert.NotNull(set);
        Assert.Equal(2, set.Count);
        Assert.Equal(3, set.Dimensions);
        Assert.Equal([0.5, -1, 0.002], set[0].ToArray());
        Assert.Equal([1.0, 2, 3], set[1].ToArray());
    }

    [Fact]
    public void Read_BadLines_ReportedWithFileAndLineAndSkipped()
    {
        var (set, errors) = Read(
            "[1, 2]",
            "{not json",
            """{"vector": [1, 2]}""",
            """{"embedding": "1,2"}""",
            """{"embedding": [1, "2"]}""",
            "[]",
            "[1, 2, 3]",
            "42",
            """{"embedding": [3, 4]}""");

        Assert.NotNull(set);
        Assert.Equal(2, set.Count);
        Assert.Equal([3.0, 4], set[1].ToArray());
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], errors.Select(e => (int)e.Line));
        Assert.All(errors, e => Assert.Equal("emb.jsonl", e.File));
        Assert.StartsWith("not valid JSON", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("embedding: missing", errors[1].Message);
        Assert.Equal("embedding: expected an array of numbers", errors[2].Message);
        Assert.Equal("embedding[1]: expected a finite number", errors[3].Message);
        Assert.Equal("array: empty", errors[4].Message);
        Assert.Equal("embedding has 3 dimensions; expected 2 (as line 1)", errors[5].Message);
        Assert.Equal("emb.jsonl:8: expected {\"embedding\": [..]} or an array of numbers", errors[6].ToString());
    }

    [Fact]
    public void Read_NumberTooLargeForADouble_Rejected()
    {
        var (set, errors) = Read("[1e999, 1]", "[1, 1]");

        Assert.Single(errors);
        Assert.Equal(1, errors[0].Line);
        Assert.Equal(1, set!.Count);
    }

    [Fact]
    public void Read_NoVectors_Null()
    {
        var (set, errors) = Read("", "  ");

        Assert.Null(set);
        Assert.Empty(errors);
    }

    [Fact]
    public void ReadFile_Utf8WithBom_Reads()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "[1, 2]\n{\"embedding\": [3, 4]}\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

            var set = EmbeddingFileReader.ReadFile(path, e => Assert.Fail(e.ToString()));

            Assert.Equal(2, set!.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (EmbeddingSet? Set, List<LineError> Errors) Read(params string[] lines)
    {
        var errors = new List<LineError>();
        using var reader = new StringReader(string.Join('\n', lines));
        var set = EmbeddingFileReader.Read(reader, "emb.jsonl", errors.Add);
        return (set, errors);
    }
}
