using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Evaluation;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Evaluation;

/// <summary>The collector's online judge against a stub judge over real HTTP: sampling, dislikes, failures, a full queue.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class OnlineJudgeTests : IAsyncLifetime
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

    [Fact]
    public async Task PostInteractions_SampleRateOne_EveryAnsweredInteractionGetsAStoredVerdict()
    {
        await using var host = await StartAsync(sampleRate: 1.0);
        var ids = Enumerable.Range(0, 5).Select(_ => TestRecords.NewTraceId("judged")).ToList();
        var unanswered = TestRecords.NewTraceId("no-response");

        await host.Client.PostInteractionsAsync([.. ids.Select(Answered), TestRecords.Interaction(unanswered)]);

        foreach (var id in ids)
        {
            var evaluations = await WaitForEvaluationsAsync(host.Client, id);
            var verdict = evaluations.Single()!.AsObject();
            Assert.Equal(5.0, verdict["relevance"]!.GetValue<double>());
            Assert.Equal(4.0, verdict["overall"]!.GetValue<double>());
            Assert.Equal("judge-model", verdict["judge_model"]!.GetValue<string>());
        }

        Assert.Empty((await host.Client.GetInteractionAsync(unanswered))["evaluations"]!.AsArray());
        Assert.Equal(5, _judge.Count);
        var report = await host.Client.GetReportAsync();
        Assert.Equal(5, report["quality"]!["evaluated"]!.GetValue<int>());
        Assert.Equal(4.0, report["quality"]!["avg_overall"]!.GetValue<double>(), 6);
        Assert.Equal(5, report["quality"]!["recent_hallucinations"]!["verdicts"]!.GetValue<int>());
        Assert.Equal(0.0, report["quality"]!["recent_hallucinations"]!["rate"]!.GetValue<double>());
        var overallDrift = report["drift"]!["quality_overall"]!;
        Assert.Equal(5, overallDrift["reference_count"]!.GetValue<int>());
        Assert.False(overallDrift["is_drifting"]!.GetValue<bool>());
        Assert.Equal("normal", overallDrift["severity"]!.GetValue<string>());
        var metrics = await host.Client.GetStringAsync("metrics");
        Assert.Contains("llm_quality_score_count{", metrics, StringComparison.Ordinal);
        Assert.Contains("vigil_judge_calls_total{outcome=\"verdict\"} 5", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostFeedback_ThumbsDownOutsideTheSample_TheInteractionIsJudgedAnyway()
    {
        await using var host = await StartAsync(sampleRate: 0.0);
        var before = TestRecords.NewTraceId("disliked-after");
        var after = TestRecords.NewTraceId("disliked-before");
        var liked = TestRecords.NewTraceId("liked");
        await host.Client.PostInteractionsAsync([Answered(before), Answered(liked)]);

        await host.Client.PostFeedbackAsync([TestRecords.Feedback(before, "thumbs", 0), TestRecords.Feedback(liked, "thumbs", 1), TestRecords.Feedback(after, "rating", 1)]);
        await Task.Delay(200);
        await host.Client.PostInteractionsAsync([Answered(after)]);

        Assert.Single(await WaitForEvaluationsAsync(host.Client, before));
        Assert.Single(await WaitForEvaluationsAsync(host.Client, after));
        Assert.Empty((await host.Client.GetInteractionAsync(liked))["evaluations"]!.AsArray());
        Assert.Equal(2, _judge.Count);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"relevance": 9, "coherence": 4, "faithfulness": 4, "safety": 5, "overall": 4, "is_hallucination": false}""")]
    public async Task JudgeRepliesOutsideTheSchema_IngestGoesOnAndNoScoreIsStored(string reply)
    {
        _judge.Handler = _ => JudgeStubReply.Content(reply);
        await using var host = await StartAsync(sampleRate: 1.0);
        var ids = Enumerable.Range(0, 20).Select(_ => TestRecords.NewTraceId("bad-judge")).ToList();

        foreach (var chunk in ids.Chunk(5))
        {
            await host.Client.PostInteractionsAsync([.. chunk.Select(Answered)]);
        }

        var service = host.App.Services.GetRequiredService<OnlineEvaluationService>();
        await WaitUntilAsync(() => service.Evaluator.Failed == ids.Count);
        Assert.Equal(0, service.Evaluator.Judged);
        var report = await host.Client.GetReportAsync();
        Assert.Equal(20, report["sla"]!["global"]!["requests"]!.GetValue<int>());
        Assert.Equal(0, report["quality"]!["evaluated"]!.GetValue<int>());
        Assert.Contains("vigil_judge_errors_total{reason=\"invalid_reply\"} 20", await host.Client.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JudgeStalls_QueueFull_OffersAreDroppedAndCountedWhileIngestAnswers202()
    {
        _judge.Handler = _ => JudgeStubReply.Stall(TimeSpan.FromSeconds(30));
        await using var host = await StartAsync(sampleRate: 1.0, queueCapacity: 2, concurrency: 1);
        var started = DateTime.UtcNow;

        for (var i = 0; i < 10; i++)
        {
            await host.Client.PostInteractionsAsync([Answered(TestRecords.NewTraceId("flood"))]);
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "ingest waited for the judge");
        var service = host.App.Services.GetRequiredService<OnlineEvaluationService>();
        await WaitUntilAsync(() => service.Evaluator.Dropped >= 7);
        Assert.Contains("vigil_judge_queue_dropped_total", await host.Client.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_JudgeEndpointWithoutModel_RefusesToStart()
    {
        var error = await Assert.ThrowsAsync<Vigil.Server.Hosting.VigilServerStartupException>(() =>
            CollectorHost.StartAsync(_store, settings: new Dictionary<string, string?> { ["Vigil:Server:JudgeEndpoint"] = _judge.BaseUrl.ToString() }));
        Assert.Contains("model", error.Message, StringComparison.Ordinal);
    }

    private Task<CollectorHost> StartAsync(double sampleRate, int queueCapacity = 1000, int concurrency = 2) =>
        CollectorHost.StartAsync(_store, settings: new Dictionary<string, string?>
        {
            ["Vigil:Server:JudgeEndpoint"] = _judge.BaseUrl.ToString(),
            ["Vigil:Server:JudgeModel"] = "judge-model",
            ["Vigil:OnlineEvaluation:SampleRate"] = sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vigil:OnlineEvaluation:QueueCapacity"] = queueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vigil:OnlineEvaluation:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vigil:Judge:MaxRetries"] = "0",
            ["Vigil:Judge:Timeout"] = "00:00:40",
        });

    private static JsonObject Answered(string traceId)
    {
        var record = TestRecords.Interaction(traceId);
        record["query"] = "How do I reset my password?";
        record["response"] = "Open Settings, choose Security, then Reset password.";
        return record;
    }

    private static async Task<JsonArray> WaitForEvaluationsAsync(HttpClient client, string traceId)
    {
        JsonArray evaluations = [];
        await WaitUntilAsync(async () =>
        {
            evaluations = (await client.GetInteractionAsync(traceId))["evaluations"]!.AsArray();
            return evaluations.Count > 0;
        });
        return evaluations;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
