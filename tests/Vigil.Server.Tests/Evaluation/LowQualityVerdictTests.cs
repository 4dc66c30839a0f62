using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Evaluation;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Evaluation;

/// <summary>The collector's stored verdicts: overall ≤ 2 is the seed's <c>low_quality</c> soft error in <c>/metrics</c>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class LowQualityVerdictTests : IAsyncLifetime
{
    private readonly JudgeStubServer _judge = new();
    private readonly SqliteTestStore _store = new();

    public async Task InitializeAsync()
    {
        await _judge.InitializeAsync();
        await _store.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _judge.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 0)]
    public async Task GetMetrics_JudgedAnswer_CountsLowQualityAtOverallTwoOrLess(int overall, int expected)
    {
        _judge.Handler = _ => JudgeStubReply.Content(string.Create(CultureInfo.InvariantCulture,
            $$"""{"relevance": {{overall}}, "coherence": {{overall}}, "faithfulness": 4, "safety": 5, "overall": {{overall}}, "is_hallucination": false, "reasoning": "stub"}"""));
        await using var host = await CollectorHost.StartAsync(_store, settings: new Dictionary<string, string?>
        {
            ["Vigil:Server:JudgeEndpoint"] = _judge.BaseUrl.ToString(),
            ["Vigil:Server:JudgeModel"] = "judge-model",
            ["Vigil:OnlineEvaluation:SampleRate"] = "1",
            ["Vigil:Judge:MaxRetries"] = "0",
        });
        var record = TestRecords.Interaction(TestRecords.NewTraceId("judged"), model: "gpt-4.1");
        record["query"] = "How do I reset my password?";
        record["response"] = "Open Settings, choose Security, then Reset password.";

        await host.Client.PostInteractionsAsync([record]);
        var service = host.App.Services.GetRequiredService<OnlineEvaluationService>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await host.Client.GetInteractionAsync(record["trace_id"]!.GetValue<string>()))["evaluations"]!.AsArray().Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no verdict stored (judged {service.Evaluator.Judged}, failed {service.Evaluator.Failed})");
            await Task.Delay(50);
        }

        var samples = PrometheusSample.ParseAll(await host.Client.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        var lowQuality = samples.Where(s => s.Name == "llm_errors_total" && s.Has(("error_type", "low_quality"))).ToList();
        Assert.Equal(expected, lowQuality.Sum(s => s.Value));
        Assert.All(lowQuality, s => Assert.True(s.Has(("error_code", "0"), ("model", "unknown"))));
        Assert.Equal(0, samples.Where(s => s.Name == "llm_errors_total" && !s.Has(("error_type", "low_quality"))).Sum(s => s.Value));
    }
}
