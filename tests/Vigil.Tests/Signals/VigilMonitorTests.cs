using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Vigil.ChatClients;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Signals;
using Vigil.Sinks;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Signals;

/// <summary>The signal pipeline in-process: <c>AddVigil()</c> hosts it, <c>UseVigil()</c> feeds it, the app asks for the report.</summary>
public sealed class VigilMonitorTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    // gpt-4.1-mini against the stub: (1000 - 400) * 0.4 + 400 * 0.1 + 250 * 1.6 = 680 per 1M tokens.
    private const decimal CostPerCall = 0.00068m;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetReport_CallsThroughUseVigil_AreCountedInTheWindow(bool streaming)
    {
        using var metrics = new VigilMetrics();
        await using var provider = new ServiceCollection().AddSingleton(metrics).AddVigil().BuildServiceProvider();
        var client = new ChatClientBuilder(stub.CreateChatClient(StubScenario.Normal)).UseVigil().Build(provider);
        var refusing = new ChatClientBuilder(stub.CreateChatClient(StubScenario.Refusal)).UseVigil().Build(provider);
        var options = new ChatOptions().WithVigil(feature: "customer_service", userTier: "pro", userId: "u-1");

        await ChatDriver.RunAsync(client, streaming, options);
        await ChatDriver.RunAsync(client, streaming, options);
        await ChatDriver.RunAsync(refusing, streaming, options);
        var report = provider.GetRequiredService<VigilMonitor>().GetReport();

        var global = report.Sla[SignalAggregate.GlobalKey];
        Assert.Equal(3, global.Requests);
        Assert.Equal(1.0, global.SuccessRate);
        Assert.Equal(2.0 / 3, global.GoodRate!.Value, 9);
        Assert.Equal(3, report.Sla["feature:customer_service"].Requests);
        Assert.Equal(1, report.Errors["refusal"]);
        Assert.Equal(3 * OpenAiStubServer.PromptTokens, report.Tokens.Input);
        Assert.Equal(3 * CostPerCall, report.Cost.TotalUsd);
        Assert.Equal(3 * CostPerCall, report.Cost.Budget.MonthTotalUsd);
        Assert.Equal(3 * CostPerCall, report.Cost.TopUsers["u-1"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetReport_CallThroughUseVigil_WritesTheCatalogOnce(bool streaming)
    {
        using var metrics = new VigilMetrics();
        using var recorder = new MetricRecorder(metrics.Meter);
        await using var provider = new ServiceCollection().AddSingleton(metrics).AddVigil().BuildServiceProvider();
        var client = new ChatClientBuilder(stub.CreateChatClient(StubScenario.Normal)).UseVigil().Build(provider);

        await ChatDriver.RunAsync(client, streaming, new ChatOptions().WithVigil(feature: "search"));

        Assert.Equal(1, recorder.Sum(MetricNames.Requests));
        Assert.Equal((double)CostPerCall, recorder.Sum(MetricNames.Cost), 12);
        Assert.Single(recorder.Of(MetricNames.RequestDuration));
        Assert.Equal(1, provider.GetRequiredService<VigilMonitor>().GetReport().Sla[SignalAggregate.GlobalKey].Requests);
    }

    [Fact]
    public async Task Emit_FeedbackRecordedThroughVigil_CountsInSatisfactionAndMetrics()
    {
        using var metrics = new VigilMetrics();
        using var recorder = new MetricRecorder(metrics.Meter);
        await using var provider = new ServiceCollection().AddSingleton(metrics).AddVigil().BuildServiceProvider();
        var sink = provider.GetRequiredService<IInteractionSink>();
        var now = DateTimeOffset.UtcNow;

        Assert.True(sink.Emit(new FeedbackRecord { Type = FeedbackType.Thumbs, Value = 1, Feature = "search", Timestamp = now }));
        Assert.True(sink.Emit(new FeedbackRecord { Type = FeedbackType.Thumbs, Value = 0, Feature = "search", Timestamp = now }));
        Assert.True(sink.Emit(new FeedbackRecord { Type = FeedbackType.Nps, Value = 10, Timestamp = now }));
        var satisfaction = provider.GetRequiredService<VigilMonitor>().GetReport().Satisfaction;

        Assert.Equal(3, satisfaction.TotalFeedbacks);
        Assert.Equal(0.5, satisfaction.ThumbsUpRate);
        Assert.Equal(100, satisfaction.Nps);
        Assert.Equal(1, recorder.Sum(MetricNames.UserFeedback, ("feedback_type", "thumbs_up")));
        Assert.Equal(1, recorder.Sum(MetricNames.UserFeedback, ("feedback_type", "nps_promoter")));
    }

    [Fact]
    public async Task GetReport_Verdicts_ShowQualityDriftAndRecentHallucinationsTyped()
    {
        await using var provider = new ServiceCollection().AddVigil().BuildServiceProvider();
        var monitor = provider.GetRequiredService<VigilMonitor>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 10; i++)
        {
            monitor.Record(new EvaluationRecord
            {
                TraceId = $"t-{i}", JudgeModel = "judge", EvaluatedAt = now, Relevance = 4, Coherence = 4, Faithfulness = i < 2 ? 2 : 5, Safety = 5, Overall = 4,
                IsHallucination = i < 2,
            });
        }

        var report = monitor.GetReport();

        Assert.Equal(10, report.Quality.Evaluated);
        Assert.Equal(10, report.Quality.RecentHallucinations!.Verdicts);
        Assert.Equal(0.2, report.Quality.RecentHallucinations.Rate);
        Assert.Equal(2, report.Quality.RecentHallucinations.BySeverity.High);
        Assert.Equal(10, report.Drift.QualityOverall!.ReferenceCount);
        Assert.False(report.Drift.QualityOverall.Ready);
        Assert.Null(report.Drift.Embedding);
    }

    [Fact]
    public async Task Scrape_AddVigil_ExportsTheConfiguredMonthlyBudget()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        await using var provider = new ServiceCollection().AddSingleton(metrics)
            .AddVigil().Configure<SignalOptions>(o => o.MonthlyBudgetUsd = 1234.5m).BuildServiceProvider();
        _ = provider.GetRequiredService<VigilMonitor>();

        var exposition = exporter.Scrape();

        Assert.Contains("# TYPE vigil_budget_monthly_dollars gauge", exposition, StringComparison.Ordinal);
        Assert.Contains("vigil_budget_monthly_dollars 1234.5", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReport_Serialized_HasTheContractsKeys()
    {
        await using var provider = new ServiceCollection().AddVigil().BuildServiceProvider();
        var monitor = provider.GetRequiredService<VigilMonitor>();
        monitor.Record(new InteractionRecord
        {
            TraceId = "t-1", Timestamp = DateTimeOffset.UtcNow, Model = "gpt-4.1", Status = InteractionStatus.Success, LatencyMs = 900,
            InputTokens = 1000, OutputTokens = 1000,
        });

        var json = JsonNode.Parse(JsonSerializer.Serialize(monitor.GetReport(), ReportJsonContext.Default.HealthReport))!.AsObject();

        foreach (var key in (string[])["window", "sla", "errors", "tokens", "cost", "cache", "satisfaction", "quality", "drift", "incident", "alerts"])
        {
            Assert.True(json.ContainsKey(key), key);
        }

        Assert.Equal(0.01, json["cost"]!["total_usd"]!.GetValue<double>());
        Assert.Equal("normal", json["incident"]!["mode"]!.GetValue<string>());
        Assert.Null(json["incident"]!["since"]);
        Assert.Empty(json["alerts"]!.AsArray());
    }
}
