using System.Text.Json.Nodes;
using Vigil.Server.Tests.Apis;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Hosting;

/// <summary>A collector restarted on the same store rebuilds its window from the store: no figure changes.</summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class RestartTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    [Fact]
    public async Task GetReport_AfterRestartOnTheSameStore_GivesTheSameFigures()
    {
        var traffic = Traffic.Generate(seed: 23, count: 1200);
        await Client.PostInteractionsAsync(traffic.Records);
        // A replaced record must stay replaced after the restart.
        var replacement = TestRecords.Interaction(traffic.Records[0]["trace_id"]!.GetValue<string>(), "gpt-4.1", 999);
        replacement["cost_usd"] = 1.5;
        await Client.PostInteractionsAsync([replacement]);
        await Client.PostFeedbackAsync([
            TestRecords.Feedback(traffic.Records[1]["trace_id"]!.GetValue<string>(), "thumbs", 0),
            TestRecords.Feedback(traffic.Records[2]["trace_id"]!.GetValue<string>(), "rating", 5),
            TestRecords.Feedback(null, "csat", 4),
            TestRecords.Feedback(null, "nps", 10),
        ]);
        var day = DateTime.UtcNow.Date;
        var before = await Client.GetReportAsync();
        Assert.Equal(1200, before["sla"]!["global"]!["requests"]!.GetValue<long>());

        await StopCollectorAsync();
        await StartCollectorAsync();
        var after = await Client.GetReportAsync();

        before.Remove("window");
        after.Remove("window");
        // The alert engine's state as of its last evaluation (every 5 s): kept across a restart by Alerts/AlertsApiTests.
        before.Remove("alerts");
        after.Remove("alerts");
        ReportComparison.DropBudgetIfTheDayChanged(day, before, after);

        Assert.True(JsonNode.DeepEquals(before, after), $"The report changed across the restart.{Environment.NewLine}before: {before.ToJsonString()}{Environment.NewLine}after:  {after.ToJsonString()}");
        var stored = await Client.GetInteractionAsync(replacement["trace_id"]!.GetValue<string>());
        Assert.Equal(999, stored["interaction"]!["latency_ms"]!.GetValue<double>());
    }
}
