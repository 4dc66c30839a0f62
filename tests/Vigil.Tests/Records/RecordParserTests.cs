using System.Text;
using System.Text.Json;
using Vigil.Records;

namespace Vigil.Tests.Records;

public sealed class RecordParserTests
{
    private const string FullInteraction = """
        {"trace_id":"t-1","timestamp":"2026-11-28T10:00:00Z","model":"gpt-4.1-mini","provider":"openai",
         "feature":"customer_service","user_id":"u1","user_tier":"pro","status":"success","error_type":"refusal",
         "http_status":200,"degradation":"model_fallback","latency_ms":1234.5,"ttft_ms":210,"input_tokens":100,
         "output_tokens":50,"cached_tokens":20,"cost_usd":0.000118,"cache":"miss","cache_type":"semantic",
         "query":"q","response":"r","context":"c","embedding":[0.1,-0.2],"attributes":{"region":"eu"}}
        """;

    [Fact]
    public void ParseInteraction_EveryField_RoundTripsInSnakeCase()
    {
        var result = RecordParser.ParseInteraction(Encoding.UTF8.GetBytes(FullInteraction));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var record = result.Record!;
        Assert.Equal(ErrorType.Refusal, record.ErrorType);
        Assert.Equal(Degradation.ModelFallback, record.Degradation);
        Assert.Equal(CacheType.Semantic, record.CacheType);
        Assert.Equal(0.000118m, record.CostUsd);
        Assert.False(record.IsGood);

        var json = JsonSerializer.Serialize(record, VigilJsonContext.Default.InteractionRecord);
        using var expected = JsonDocument.Parse(FullInteraction);
        using var actual = JsonDocument.Parse(json);
        foreach (var property in expected.RootElement.EnumerateObject())
        {
            Assert.True(actual.RootElement.TryGetProperty(property.Name, out var value), $"{property.Name} missing in {json}");
            Assert.Equal(property.Value.ValueKind, value.ValueKind);
        }
    }

    [Fact]
    public void ParseInteraction_Minimal_TakesSchemaDefaults()
    {
        var result = RecordParser.ParseInteraction("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00+08:00","model":"m","status":"error","latency_ms":0}"""u8);

        Assert.True(result.IsValid);
        Assert.Equal("default", result.Record!.Feature);
        Assert.Equal("free", result.Record.UserTier);
        Assert.Equal(Degradation.None, result.Record.Degradation);
        Assert.Equal(TimeSpan.FromHours(8), result.Record.Timestamp.Offset);
    }

    [Theory]
    [InlineData("""{"timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1}""", "trace_id")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":-1}""", "latency_ms")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":3600001}""", "latency_ms")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"ok","latency_ms":1}""", "status")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":"fast"}""", "latency_ms")]
    [InlineData("""{"trace_id":"t","timestamp":"yesterday","model":"m","status":"success","latency_ms":1}""", "timestamp")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1,"colour":"red"}""", "colour")]
    [InlineData("""{"trace_id":"","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1}""", "trace_id")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1,"input_tokens":-3}""", "input_tokens")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1,"http_status":700}""", "http_status")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1,"embedding":[]}""", "embedding")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1,"error_type":"oops"}""", "error_type")]
    [InlineData("""{"trace_id":"t","timestamp":"2026-11-28T10:00:00Z","model":"m","status":"success","latency_ms":1,"attributes":{"a":1}}""", "attributes.a")]
    public void ParseInteraction_BrokenField_NamesTheField(string json, string field)
    {
        var result = RecordParser.ParseInteraction(Encoding.UTF8.GetBytes(json));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field.Contains(field, StringComparison.Ordinal));
    }

    [Fact]
    public void ParseInteraction_SeveralRequiredMissing_NamesEachOnItsOwn()
    {
        var result = RecordParser.ParseInteraction("{\"model\":\"m\"}"u8);

        Assert.False(result.IsValid);
        Assert.Equal(["latency_ms", "status", "timestamp", "trace_id"], result.Errors.Select(e => e.Field).Order());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("\"text\"")]
    public void ParseInteraction_NotAnObject_IsAnErrorNotAnException(string json)
    {
        var result = RecordParser.ParseInteraction(Encoding.UTF8.GetBytes(json));

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void ParseInteraction_InvalidUtf8_IsAnError()
    {
        byte[] json = [.. "{\"trace_id\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var result = RecordParser.ParseInteraction(json);

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("""{"type":"thumbs","trace_id":"t","value":1}""", true)]
    [InlineData("""{"type":"thumbs","trace_id":"t","value":0}""", true)]
    [InlineData("""{"type":"thumbs","value":1}""", false)]
    [InlineData("""{"type":"thumbs","trace_id":"t","value":0.5}""", false)]
    [InlineData("""{"type":"rating","trace_id":"t","value":5}""", true)]
    [InlineData("""{"type":"rating","trace_id":"t","value":6}""", false)]
    [InlineData("""{"type":"rating","trace_id":"t","value":3.5}""", false)]
    [InlineData("""{"type":"csat","value":4}""", true)]
    [InlineData("""{"type":"csat","value":0}""", false)]
    [InlineData("""{"type":"nps","value":0}""", true)]
    [InlineData("""{"type":"nps","value":10}""", true)]
    [InlineData("""{"type":"nps","value":11}""", false)]
    [InlineData("""{"type":"text","comment":"slow answers"}""", true)]
    [InlineData("""{"type":"text"}""", false)]
    [InlineData("""{"type":"text","comment":"x","value":1}""", false)]
    [InlineData("""{"type":"stars","value":1}""", false)]
    [InlineData("""{"type":"csat","value":4,"extra":true}""", false)]
    public void ParseFeedback_PerTypeRules_AreEnforced(string json, bool valid)
    {
        var result = RecordParser.ParseFeedback(Encoding.UTF8.GetBytes(json));

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.NotEmpty(result.Errors);
        }
    }

    [Fact]
    public void ParseEvaluation_ScoreOutOfRange_NamesTheDimension()
    {
        var result = RecordParser.ParseEvaluation("""
            {"trace_id":"t","judge_model":"gpt-4.1-mini","relevance":5,"coherence":4,"faithfulness":6,"safety":5,"overall":4,"is_hallucination":false}
            """u8);

        Assert.False(result.IsValid);
        Assert.Equal("faithfulness", Assert.Single(result.Errors).Field);
    }
}
