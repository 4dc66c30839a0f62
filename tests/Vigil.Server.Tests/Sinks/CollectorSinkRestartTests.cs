using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Sinks;

/// <summary>
/// Issue #12: a collector that is away for less time than the app's buffer lasts loses nothing and counts nothing
/// twice. The app sends through its <c>CollectorSink</c> while <c>vigil serve</c> is killed and restarted
/// (<see cref="CollectorRestartScenario"/>).
/// </summary>
public sealed class CollectorSinkRestartTests(CollectorRestartScenario scenario, ITestOutputHelper output) : IClassFixture<CollectorRestartScenario>
{
    [Fact]
    public async Task CollectorKilledAndRestarted_EveryInteractionArrivesOnce()
    {
        Describe();
        Assert.Equal((0L, 0), scenario.SinkAtEnd);

        using var client = scenario.Collector.CreateClient();
        var missing = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(scenario.TraceIds, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            if (await client.GetInteractionStatusAsync(id) != HttpStatusCode.OK)
            {
                missing.Enqueue(id);
            }
        });

        Assert.True(missing.IsEmpty, $"{missing.Count} of {scenario.TraceIds.Count} interactions never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(scenario.TraceIds.Count, Requests(scenario.Reports.Scan));
        Assert.Equal(scenario.TraceIds.Count, Requests(scenario.Reports.Window));
    }

    [Fact]
    public async Task CollectorKilledAndRestarted_EveryFeedbackArrivesOnce()
    {
        Describe();
        Assert.Equal((0L, 0), scenario.SinkAtEnd);

        using var client = scenario.Collector.CreateClient();
        var wrong = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(scenario.FeedbackPerTrace, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (given, ct) =>
        {
            var stored = (await client.GetInteractionAsync(given.Key))["feedback"]!.AsArray().Count;
            if (stored != given.Value)
            {
                wrong.Enqueue($"{given.Key}: {stored} stored, {given.Value} given");
            }
        });

        Assert.True(wrong.IsEmpty, $"{wrong.Count} of {scenario.FeedbackPerTrace.Count} traces have their feedback a wrong number of times, e.g. {string.Join("; ", wrong.Take(5))}");
        Assert.Equal(scenario.FeedbackPerTrace.Values.Sum(), scenario.Reports.Scan["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
    }

    [Fact]
    public async Task FeedbackBatchRetriedUnderOneIdempotencyKey_IsStoredOnce()
    {
        // What the sink does when a batch was stored but its answer was lost (the kill above may or may not land there).
        using var client = scenario.Collector.CreateClient();
        var traceId = $"replay-{Guid.NewGuid():N}";
        await client.PostInteractionsAsync([TestRecords.Interaction(traceId, latencyMs: 12)]);
        var body = new JsonObject { ["feedback"] = new JsonArray(new JsonObject { ["type"] = "thumbs", ["trace_id"] = traceId, ["value"] = 1 }) }.ToJsonString();
        var key = Guid.NewGuid().ToString("D");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/feedback", UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            await CollectorApi.AssertAcceptedAsync(response, 1);
        }

        Assert.Single((await client.GetInteractionAsync(traceId))["feedback"]!.AsArray());
    }

    private static long Requests(JsonObject report) => report["sla"]!["global"]!["requests"]!.GetValue<long>();

    private void Describe()
    {
        foreach (var line in scenario.Timeline)
        {
            output.WriteLine(line);
        }

        output.WriteLine($"calls {scenario.TraceIds.Count}, feedback {scenario.FeedbackPerTrace.Values.Sum()} on {scenario.FeedbackPerTrace.Count} traces; "
            + $"report scan: requests {Requests(scenario.Reports.Scan)}, feedback {scenario.Reports.Scan["satisfaction"]!["total_feedbacks"]}; "
            + $"live window: requests {Requests(scenario.Reports.Window)}, feedback {scenario.Reports.Window["satisfaction"]!["total_feedbacks"]}");
        output.WriteLine($"app warnings: {scenario.AppLogs.Entries.Count}, e.g. {string.Join(" | ", scenario.AppLogs.Entries.Take(3))}");
    }
}
