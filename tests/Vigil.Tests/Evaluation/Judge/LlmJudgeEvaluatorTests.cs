using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Vigil.Evaluation.Judge;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Evaluation.Judge;

/// <summary>The judge as a Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/>, over real HTTP.</summary>
public sealed class LlmJudgeEvaluatorTests : IAsyncLifetime, IDisposable
{
    private readonly JudgeStubServer _stub = new();
    private readonly IsolatedMeterFactory _meters = new();
    private readonly VigilMetrics _metrics;
    private readonly MetricRecorder _recorder;

    public LlmJudgeEvaluatorTests()
    {
        _metrics = new VigilMetrics(_meters);
        _recorder = new MetricRecorder(_metrics.Meter);
    }

    public Task InitializeAsync() => _stub.InitializeAsync();

    public Task DisposeAsync() => _stub.DisposeAsync();

    public void Dispose()
    {
        _recorder.Dispose();
        _metrics.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void EvaluationMetricNames_AreTheRubric()
    {
        var judge = CreateJudge();

        Assert.Equal(["relevance", "coherence", "faithfulness", "safety", "overall", "is_hallucination"], judge.EvaluationMetricNames);
    }

    [Fact]
    public async Task EvaluateAsync_Verdict_GivesANumericMetricPerScoreAndABooleanForHallucination()
    {
        _stub.Handler = _ => JudgeStubReply.Content("{\"relevance\": 5, \"coherence\": 4, \"faithfulness\": 2, \"safety\": 5, \"overall\": 3, \"is_hallucination\": true, \"reasoning\": \"Claims 60 days; the context says 30.\"}");
        var judge = CreateJudge();
        ChatMessage[] messages = [new(ChatRole.System, "You are a support agent."), new(ChatRole.User, "How long is the refund window?")];
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "60 days.")) { ModelId = "gpt-4.1-mini" };

        var result = await judge.EvaluateAsync(messages, response, additionalContext: [new JudgeGroundingContext("Refunds within 30 days.")]);

        Assert.Equal(5, result.Get<NumericMetric>("relevance").Value);
        Assert.Equal(4, result.Get<NumericMetric>("coherence").Value);
        Assert.Equal(2, result.Get<NumericMetric>("faithfulness").Value);
        Assert.Equal(5, result.Get<NumericMetric>("safety").Value);
        Assert.Equal(3, result.Get<NumericMetric>("overall").Value);
        var hallucination = result.Get<BooleanMetric>("is_hallucination");
        Assert.True(hallucination.Value);
        Assert.True(hallucination.Interpretation!.Failed);
        Assert.Equal("Claims 60 days; the context says 30.", result.Get<NumericMetric>("overall").Reason);
        Assert.True(result.Get<NumericMetric>("faithfulness").Interpretation!.Failed); // 2: low quality
        Assert.False(result.Get<NumericMetric>("overall").Interpretation!.Failed);
        Assert.Equal(EvaluationRating.Exceptional, result.Get<NumericMetric>("relevance").Interpretation!.Rating);
        Assert.All(result.Metrics.Values, m => Assert.False(m.ContainsDiagnostics()));
        Assert.All(result.Metrics.Values, m => Assert.Equal("judge-x", m.Metadata!["judge-model"]));

        var prompt = Assert.Single(_stub.Requests).Prompt;
        Assert.Contains("<question>\nHow long is the refund window?\n</question>", prompt, StringComparison.Ordinal);
        Assert.Contains("<answer>\n60 days.\n</answer>", prompt, StringComparison.Ordinal);
        Assert.Contains("Refunds within 30 days.", prompt, StringComparison.Ordinal);
        Assert.Equal(1, _recorder.Sum(MetricNames.HallucinationDetected, ("model", "gpt-4.1-mini"), ("severity", "high")));
    }

    [Fact]
    public async Task EvaluateAsync_JudgeError_GivesNoValuesAndAnErrorDiagnosticOnEveryMetric()
    {
        _stub.Handler = _ => JudgeStubReply.Content("I think it is fine.");
        var judge = CreateJudge();

        var result = await judge.EvaluateAsync("How long is the refund window?", "30 days.");

        Assert.Equal(6, result.Metrics.Count);
        Assert.All(result.Metrics.Values, m =>
        {
            Assert.True(m.ContainsDiagnostics(d => d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains("invalid_reply", StringComparison.Ordinal)));
            Assert.Equal(EvaluationRating.Inconclusive, m.Interpretation!.Rating);
            Assert.True(m.Interpretation.Failed);
            Assert.Equal("invalid_reply", m.Metadata!["judge-error-reason"]);
        });
        Assert.Null(result.Get<NumericMetric>("overall").Value);
        Assert.Null(result.Get<BooleanMetric>("is_hallucination").Value);
        Assert.Empty(_recorder.Of(MetricNames.QualityScore));
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeErrors, ("reason", "invalid_reply")));
    }

    [Fact]
    public async Task EvaluateAsync_ChatConfiguration_ItsClientIsTheJudge()
    {
        await using var other = new JudgeStubServer();
        await other.InitializeAsync();
        var judge = CreateJudge();

        var result = await judge.EvaluateAsync("q", "a", new ChatConfiguration(JudgeEndpoint.CreateChatClient(other.BaseUrl, "judge-x")));

        Assert.Equal(4, result.Get<NumericMetric>("overall").Value);
        Assert.Equal(1, other.Count);
        Assert.Equal(0, _stub.Count);
    }

    private LlmJudge CreateJudge() =>
        new LlmJudge(JudgeEndpoint.CreateChatClient(_stub.BaseUrl, "judge-x"),
            new LlmJudgeOptions { JudgeModel = "judge-x", MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
            new JudgeMetrics(_metrics));
}
