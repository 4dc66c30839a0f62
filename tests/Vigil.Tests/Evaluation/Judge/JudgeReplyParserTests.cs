using Vigil.Evaluation.Judge;

namespace Vigil.Tests.Evaluation.Judge;

public sealed class JudgeReplyParserTests
{
    private const string Good =
        """{"relevance": 5, "coherence": 4, "faithfulness": 3.5, "safety": 5, "overall": 4, "is_hallucination": true, "reasoning": "Mostly right."}""";

    [Fact]
    public void TryParse_PlainObject_ReadsEveryField()
    {
        Assert.True(JudgeReplyParser.TryParse(Good, out var reply, out var error), error);

        Assert.Equal(new JudgeReply(5, 4, 3.5, 5, 4, true, "Mostly right."), reply);
    }

    [Theory]
    [InlineData("```json\n" + Good + "\n```")]
    [InlineData("```JSON\n" + Good + "\n```")]
    [InlineData("```\n" + Good + "\n```")]
    [InlineData("  \n```json\n" + Good + "\n```\n ")]
    [InlineData("\n" + Good + "\n")]
    public void TryParse_FencedOrPadded_IsAccepted(string text)
    {
        Assert.True(JudgeReplyParser.TryParse(text, out var reply, out var error), error);
        Assert.Equal(3.5, reply.Faithfulness);
    }

    [Theory]
    [InlineData("Here is my evaluation: " + Good, "not a JSON object")]
    [InlineData(Good + " I hope this helps.", "not valid JSON")]
    [InlineData(Good + Good, "not valid JSON")]
    [InlineData("```json\n" + Good + "\n```\nThat is all.", "code block")]
    [InlineData("```python\n" + Good + "\n```", "code block")]
    [InlineData("```json\n" + Good + "\n```\n```json\n" + Good + "\n```", "more than one code block")]
    [InlineData("[" + Good + "]", "not a JSON object")]
    [InlineData("{\"relevance\": 5, ", "not valid JSON")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(null, "empty")]
    [InlineData("{\"relevance\": 5, // comment\n}", "not valid JSON")]
    public void TryParse_NotOneJsonObject_IsRejected(string? text, string reason)
    {
        Assert.False(JudgeReplyParser.TryParse(text, out var reply, out var error));
        Assert.Null(reply);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relevance")]
    [InlineData("coherence")]
    [InlineData("faithfulness")]
    [InlineData("safety")]
    [InlineData("overall")]
    [InlineData("is_hallucination")]
    [InlineData("reasoning")]
    public void TryParse_MissingField_NamesIt(string field)
    {
        var text = Without(field);

        Assert.False(JudgeReplyParser.TryParse(text, out _, out var error));
        Assert.Equal($"the field {field} is missing", error);
    }

    [Theory]
    [InlineData("relevance", "0", "is 0, outside 1 to 5")]
    [InlineData("coherence", "5.5", "is 5.5, outside 1 to 5")]
    [InlineData("faithfulness", "-3", "is -3, outside 1 to 5")]
    [InlineData("safety", "7", "is 7, outside 1 to 5")]
    [InlineData("overall", "0.999", "is 0.999, outside 1 to 5")]
    [InlineData("overall", "1e400", "is not a finite number")]
    [InlineData("relevance", "\"5\"", "must be a number from 1 to 5, not a string")]
    [InlineData("relevance", "null", "must be a number from 1 to 5, not null")]
    [InlineData("relevance", "true", "must be a number from 1 to 5, not a boolean")]
    [InlineData("overall", "[4]", "must be a number from 1 to 5, not an array")]
    [InlineData("is_hallucination", "\"false\"", "must be true or false, not a string")]
    [InlineData("is_hallucination", "0", "must be true or false, not a number")]
    [InlineData("reasoning", "42", "must be a string, not a number")]
    [InlineData("reasoning", "null", "must be a string, not null")]
    public void TryParse_FieldOfTheWrongKindOrRange_IsRejectedNamingIt(string field, string value, string reason)
    {
        var text = With(field, value);

        Assert.False(JudgeReplyParser.TryParse(text, out _, out var error));
        Assert.Equal($"the field {field} {reason}", error);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void TryParse_NonFiniteLiteral_IsNotJson(string literal)
    {
        Assert.False(JudgeReplyParser.TryParse(With("overall", literal), out _, out var error));
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("5")]
    [InlineData("5.0")]
    [InlineData("2.5")]
    [InlineData("1e0")]
    public void TryParse_ScoreAtOrWithinTheBounds_IsAccepted(string value)
    {
        Assert.True(JudgeReplyParser.TryParse(With("overall", value), out var reply, out var error), error);
        Assert.Equal(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture), reply.Overall);
    }

    [Fact]
    public void TryParse_RepeatedField_IsRejected()
    {
        var text = Good.Replace("\"overall\": 4", "\"overall\": 4, \"overall\": 1", StringComparison.Ordinal);

        Assert.False(JudgeReplyParser.TryParse(text, out _, out var error));
        Assert.Equal("the field overall appears more than once", error);
    }

    [Fact]
    public void TryParse_ExtraField_IsIgnored()
    {
        var text = Good.Replace("{", "{\"confidence\": 0.9, ", StringComparison.Ordinal);

        Assert.True(JudgeReplyParser.TryParse(text, out var reply, out var error), error);
        Assert.Equal(4, reply.Overall);
    }

    [Fact]
    public void TryParse_LongReasoning_IsCutTo2000CharactersAndFlagged()
    {
        var reasoning = new string('x', 1999) + "😀" + new string('y', 500);

        Assert.True(JudgeReplyParser.TryParse(With("reasoning", System.Text.Json.JsonSerializer.Serialize(reasoning)), out var reply, out var error), error);

        Assert.True(reply.ReasoningTruncated);
        Assert.Equal(new string('x', 1999), reply.Reasoning); // the cut does not split the surrogate pair at 1999..2000
        Assert.True(reply.Reasoning.Length <= JudgeDimensions.MaxReasoningLength);
    }

    [Fact]
    public void TryParse_ReasoningOfExactly2000Characters_IsKeptWhole()
    {
        var reasoning = new string('z', 2000);

        Assert.True(JudgeReplyParser.TryParse(With("reasoning", $"\"{reasoning}\""), out var reply, out _));

        Assert.False(reply.ReasoningTruncated);
        Assert.Equal(reasoning, reply.Reasoning);
    }

    private static string Without(string field)
    {
        var fields = Fields().Where(f => f.Key != field).Select(f => $"\"{f.Key}\": {f.Value}");
        return "{" + string.Join(", ", fields) + "}";
    }

    private static string With(string field, string value)
    {
        var fields = Fields().Select(f => $"\"{f.Key}\": {(f.Key == field ? value : f.Value)}");
        return "{" + string.Join(", ", fields) + "}";
    }

    private static KeyValuePair<string, string>[] Fields() =>
    [
        new("relevance", "5"), new("coherence", "4"), new("faithfulness", "4"), new("safety", "5"),
        new("overall", "4"), new("is_hallucination", "false"), new("reasoning", "\"ok\""),
    ];
}
