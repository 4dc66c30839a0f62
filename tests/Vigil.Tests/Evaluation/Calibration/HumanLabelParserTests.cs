using System.Text;
using Vigil.Evaluation.Calibration;

namespace Vigil.Tests.Evaluation.Calibration;

public sealed class HumanLabelParserTests
{
    [Fact]
    public void Parse_SubsetOfDimensions_Valid()
    {
        var result = Parse("""{"trace_id": "t1", "faithfulness": 2, "is_hallucination": true, "labeler": "ana"}""");

        Assert.True(result.IsValid);
        Assert.Equal("t1", result.Record!.TraceId);
        Assert.Equal(2.0, result.Record.Faithfulness);
        Assert.Null(result.Record.Overall);
        Assert.True(result.Record.IsHallucination);
    }

    [Theory]
    [InlineData("""{"faithfulness": 2}""", "trace_id")]
    [InlineData("""{"trace_id": "", "overall": 3}""", "trace_id")]
    [InlineData("""{"trace_id": "t", "relevence": 3}""", "relevence")]
    [InlineData("""{"trace_id": "t", "overall": 6}""", "overall")]
    [InlineData("""{"trace_id": "t", "safety": 0.5}""", "safety")]
    [InlineData("""{"trace_id": "t", "overall": "4"}""", "overall")]
    [InlineData("""{"trace_id": "t", "is_hallucination": "yes"}""", "is_hallucination")]
    [InlineData("""{"trace_id": "t"}""", "$")]
    [InlineData("""{"trace_id": "t", "labeler": "x"}""", "$")]
    [InlineData("""[1, 2]""", "$")]
    [InlineData("""null""", "$")]
    [InlineData("""{"trace_id": "t", "overall": 4""", "overall")] // cut short
    public void Parse_Invalid_NamesTheField(string json, string field)
    {
        var result = Parse(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field);
    }

    private static Vigil.Records.RecordParseResult<HumanLabel> Parse(string json) => HumanLabelParser.Parse(Encoding.UTF8.GetBytes(json));
}
