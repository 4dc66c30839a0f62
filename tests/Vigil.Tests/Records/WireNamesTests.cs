using System.Text;
using System.Text.Json;
using Vigil.Classification;
using Vigil.Records;

namespace Vigil.Tests.Records;

public sealed class WireNamesTests
{
    [Fact]
    public void Of_EveryValueOfEveryRecordEnum_TheContractsName()
    {
        // The schemas' enums (shared/contract), in the enums' value order.
        Assert.Equal(["success", "error"], Names(WireNames.Status));
        Assert.Equal(
            ["rate_limit", "auth_failure", "context_overflow", "server_error", "timeout", "refusal", "empty_response", "format_error",
             "safety_filter", "tool_failure", "low_quality"],
            Names(WireNames.ErrorType));
        Assert.Equal(["none", "model_fallback", "cache_fallback", "default_response"], Names(WireNames.Degradation));
        Assert.Equal(["hit", "miss"], Names(WireNames.Cache));
        Assert.Equal(["exact", "semantic", "prompt"], Names(WireNames.CacheType));
        Assert.Equal(["thumbs", "rating", "csat", "nps", "text"], Names(WireNames.FeedbackType));
    }

    [Fact]
    public void Serialize_RecordWithEveryEnum_WritesTheTablesNamesAndReadsThemBack()
    {
        var record = new InteractionRecord
        {
            TraceId = "t", Timestamp = DateTimeOffset.UnixEpoch, Model = "m", Status = InteractionStatus.Error, ErrorType = ErrorType.ContextOverflow,
            LatencyMs = 1, Degradation = Degradation.DefaultResponse, Cache = CacheOutcome.Miss, CacheType = CacheType.Prompt,
        };

        var json = JsonSerializer.Serialize(record, VigilJsonContext.Default.InteractionRecord);
        var back = JsonSerializer.Deserialize(json, VigilJsonContext.Default.InteractionRecord)!;

        Assert.Contains("\"status\":\"error\",\"error_type\":\"context_overflow\",\"degradation\":\"default_response\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cache\":\"miss\",\"cache_type\":\"prompt\"", json, StringComparison.Ordinal);
        Assert.Equal((record.Status, record.ErrorType, record.Degradation, record.Cache, record.CacheType),
            (back.Status, back.ErrorType, back.Degradation, back.Cache, back.CacheType));
        Assert.Equal(InteractionStatus.Success, RecordParser.ParseInteraction(Encoding.UTF8.GetBytes(json.Replace("\"error\"", "\"succ\\u0065ss\"", StringComparison.Ordinal))).Record?.Status);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("\"1\"")]
    [InlineData("\"THUMBS\"")]
    [InlineData("\"thumbs, rating\"")]
    [InlineData("\"bogus\"")]
    public void ParseFeedback_TypeThatIsNotOneOfTheNames_RejectedNamingTheNames(string type)
    {
        var result = RecordParser.ParseFeedback(Encoding.UTF8.GetBytes($$"""{"type":{{type}},"trace_id":"t","value":1}"""));

        Assert.Null(result.Record);
        Assert.Equal("type: must be one of thumbs, rating, csat, nps, text", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Labels_ForwardToTheTables()
    {
        Assert.Equal("rate_limit", ErrorLabels.Of(ErrorType.RateLimit));
        Assert.Equal("model_fallback", DegradationLabels.Of(Degradation.ModelFallback));
        Assert.Equal(Degradation.CacheFallback, DegradationLabels.Parse("cache_fallback"));
        Assert.Equal(Degradation.CacheFallback, DegradationLabels.Parse(nameof(Degradation.CacheFallback)));
        Assert.Equal(Degradation.None, DegradationLabels.Parse("2"));
        Assert.Equal(Degradation.None, DegradationLabels.Parse(null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErrorLabels.Of((ErrorType)99));
    }

    private static string[] Names<TEnum>(EnumWireNames<TEnum> names)
        where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(names.Of)];
}
