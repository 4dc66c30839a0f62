using System.Net;
using System.Text.Json.Nodes;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Ingest;

/// <summary><c>POST /v1/interactions</c> and <c>POST /v1/feedback</c> against a running collector.</summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class IngestApiTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    protected override void Configure(VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxBodyBytes = 256 * 1024; // a batch of 1001 small records still fits
    }

    [Fact]
    public async Task PostInteractions_SingleRecord_Returns202AcceptedOneAndStoresIt()
    {
        var record = TestRecords.Interaction(latencyMs: 250);
        record["feature"] = "customer_service";
        var traceId = record["trace_id"]!.GetValue<string>();

        using var response = await Client.PostJsonAsync("v1/interactions", record);

        await CollectorApi.AssertAcceptedAsync(response, 1);
        var stored = await Client.GetInteractionAsync(traceId);
        Assert.Equal(traceId, stored["interaction"]!["trace_id"]!.GetValue<string>());
        Assert.Equal("customer_service", stored["interaction"]!["feature"]!.GetValue<string>());
        Assert.Equal(250, stored["interaction"]!["latency_ms"]!.GetValue<double>());
        Assert.Empty(stored["feedback"]!.AsArray());
    }

    [Fact]
    public async Task PostInteractions_BatchOf1000_Returns202AcceptedThousand()
    {
        var records = Enumerable.Range(0, 1000).Select(i => TestRecords.Interaction(latencyMs: i + 1)).ToList();

        using var response = await Client.PostJsonAsync("v1/interactions", TestRecords.InteractionBatch(records));

        await CollectorApi.AssertAcceptedAsync(response, 1000);
        var report = await Client.GetReportAsync();
        Assert.Equal(1000, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, await Client.GetInteractionStatusAsync(records[999]["trace_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PostInteractions_BatchOf1001_Returns400NamingInteractionsAndStoresNothing()
    {
        var records = Enumerable.Range(0, 1001).Select(_ => TestRecords.Interaction()).ToList();

        using var response = await Client.PostJsonAsync("v1/interactions", TestRecords.InteractionBatch(records));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("interactions", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("1000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var report = await Client.GetReportAsync();
        Assert.Equal(0, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NotFound, await Client.GetInteractionStatusAsync(records[0]["trace_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PostInteractions_BatchWithTwoBadRecords_Returns400NamingEachAndStoresTheRest()
    {
        var records = Enumerable.Range(0, 10).Select(_ => TestRecords.Interaction()).ToList();
        records[3]["latency_ms"] = "slow";
        records[7]["status"] = "maybe";

        using var response = await Client.PostJsonAsync("v1/interactions", TestRecords.InteractionBatch(records));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(8, problem["accepted"]!.GetValue<int>());
        var errors = CollectorApi.ErrorFields(problem);
        Assert.Contains((3, "latency_ms"), errors);
        Assert.Contains((7, "status"), errors);
        Assert.All(errors, e => Assert.Contains(e.Index, new int?[] { 3, 7 }));
        for (var i = 0; i < records.Count; i++)
        {
            var expected = i is 3 or 7 ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.Equal(expected, await Client.GetInteractionStatusAsync(records[i]["trace_id"]!.GetValue<string>()));
        }

        var report = await Client.GetReportAsync();
        Assert.Equal(8, report["sla"]!["global"]!["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostInteractions_SingleRecordMissingLatency_Returns400NamingTheField()
    {
        var record = TestRecords.Interaction();
        record.Remove("latency_ms");

        using var response = await Client.PostJsonAsync("v1/interactions", record);

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(CollectorApi.ErrorFields(problem), e => e.Index is null && e.Field.Contains("latency_ms", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, await Client.GetInteractionStatusAsync(record["trace_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PostInteractions_InvalidRecord_ProblemCarriesRequestIdNotTraceId()
    {
        var record = TestRecords.Interaction();
        record["status"] = "fine";

        using var response = await Client.PostJsonAsync("v1/interactions", record);

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.False(problem.ContainsKey("trace_id"), problem.ToJsonString());
        Assert.False(problem.ContainsKey("traceId"), problem.ToJsonString());
        Assert.False(string.IsNullOrEmpty(problem["request_id"]?.GetValue<string>()), $"No request_id: {problem.ToJsonString()}");
    }

    [Fact]
    public async Task PostInteractions_BatchWithTrailingData_Returns400AndStoresNothing()
    {
        var record = TestRecords.Interaction();
        var body = TestRecords.InteractionBatch([record]).ToJsonString() + "{}";

        using var response = await Client.PostAsync(new Uri("v1/interactions", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, await Client.GetInteractionStatusAsync(record["trace_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PostInteractions_BodyOverTheLimit_Returns413AndTheClientCanGoOn()
    {
        var record = TestRecords.Interaction();
        record["query"] = new string('x', 60_000);
        var big = TestRecords.InteractionBatch(Enumerable.Repeat(record, 5)); // 300 kB, over the 256 KiB limit

        for (var i = 0; i < 20; i++)
        {
            // The same keep-alive client: after a refused body its next request must still get an answer.
            using (var refused = await Client.PostJsonAsync("v1/interactions", big))
            {
                await CollectorApi.AssertProblemAsync(refused, (HttpStatusCode)413);
            }

            using var accepted = await Client.PostJsonAsync("v1/interactions", TestRecords.Interaction());
            await CollectorApi.AssertAcceptedAsync(accepted, 1);
        }
    }

    [Fact]
    public async Task PostInteractions_TraceIdWithNul_Returns400NamingTraceIdAndStoresTheRest()
    {
        var records = Enumerable.Range(0, 3).Select(_ => TestRecords.Interaction()).ToList();
        records[1]["trace_id"] = "a\u0000b";

        using var response = await Client.PostJsonAsync("v1/interactions", TestRecords.InteractionBatch(records));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([(1, "trace_id")], CollectorApi.ErrorFields(problem));
        Assert.Equal(2, problem["accepted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, await Client.GetInteractionStatusAsync(records[0]["trace_id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, await Client.GetInteractionStatusAsync(records[2]["trace_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PostInteractions_NulAndControlCharactersInText_AreStoredAsSent()
    {
        var record = TestRecords.Interaction();
        const string text = "before\u0000after \u0001 \uFFFF \uD83D\uDE00 \"quoted\" \\ end";
        record["query"] = text;
        record["model"] = "model\u0000x";
        record["attributes"] = new JsonObject { ["k\u0000"] = "v\u0000" };

        await Client.PostInteractionsAsync([record]);

        var stored = await Client.GetInteractionAsync(record["trace_id"]!.GetValue<string>());
        Assert.Equal(text, stored["interaction"]!["query"]!.GetValue<string>());
        Assert.Equal("model\u0000x", stored["interaction"]!["model"]!.GetValue<string>());
        Assert.Equal("v\u0000", stored["interaction"]!["attributes"]!["k\u0000"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostFeedback_TraceIdWithNul_Returns400NamingTraceId()
    {
        using var response = await Client.PostJsonAsync("v1/feedback", TestRecords.Feedback("x\u0000", "thumbs", 1));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([(null, "trace_id")], CollectorApi.ErrorFields(problem));
    }

    [Fact]
    public async Task PostInteractions_UnknownField_Returns400NamingTheField()
    {
        var record = TestRecords.Interaction();
        record["latency"] = 12;

        using var response = await Client.PostJsonAsync("v1/interactions", record);

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(CollectorApi.ErrorFields(problem), e => e.Field == "latency");
    }

    [Fact]
    public async Task PostInteractions_RepeatedTraceId_ReplacesTheRecordWithoutCountingItTwice()
    {
        var traceId = TestRecords.NewTraceId();
        var first = TestRecords.Interaction(traceId, "gpt-4.1-mini", 100);
        first["input_tokens"] = 1_000_000;
        first["output_tokens"] = 1_000_000; // 0.4 + 1.6 = 2.0 USD
        var other = TestRecords.Interaction(model: "gpt-4.1", latencyMs: 50);
        other["cost_usd"] = 0.25;
        await Client.PostInteractionsAsync([first, other]);
        var before = await Client.GetReportAsync();
        Assert.Equal(2, before["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(2.25m, before["cost"]!["total_usd"]!.GetValue<decimal>());

        var second = TestRecords.Interaction(traceId, "gpt-4.1", 900);
        second["status"] = "error";
        second["error_type"] = "rate_limit";
        second["http_status"] = 429;
        second["cost_usd"] = 0.5;
        await Client.PostInteractionsAsync([second]);
        // And again, twice within one batch: the last one wins.
        await Client.PostInteractionsAsync([second, second]);

        var after = await Client.GetReportAsync();
        Assert.Equal(2, after["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(0.5, after["sla"]!["global"]!["success_rate"]!.GetValue<double>());
        Assert.Equal(0.75m, after["cost"]!["total_usd"]!.GetValue<decimal>());
        Assert.Equal(0.75m, after["cost"]!["by_model"]!["gpt-4.1"]!.GetValue<decimal>());
        Assert.False(after["cost"]!["by_model"]!.AsObject().TryGetPropertyValue("gpt-4.1-mini", out var mini) && mini!.GetValue<decimal>() != 0);
        Assert.Equal(1, after["errors"]!["rate_limit"]!.GetValue<long>());
        Assert.Equal(2, after["sla"]!["model:gpt-4.1"]!["requests"]!.GetValue<long>());
        Assert.False(after["sla"]!.AsObject().TryGetPropertyValue("model:gpt-4.1-mini", out var miniSla) && miniSla!["requests"]!.GetValue<long>() != 0);
        var stored = await Client.GetInteractionAsync(traceId);
        Assert.Equal("gpt-4.1", stored["interaction"]!["model"]!.GetValue<string>());
        Assert.Equal("error", stored["interaction"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostFeedback_BeforeItsInteraction_IsShownWithTheInteractionOnceItArrives()
    {
        var traceId = TestRecords.NewTraceId();
        using (var response = await Client.PostJsonAsync("v1/feedback", TestRecords.Feedback(traceId, "thumbs", 1)))
        {
            await CollectorApi.AssertAcceptedAsync(response, 1);
        }

        using (var missing = await Client.GetAsync(new Uri("v1/interactions/" + traceId, UriKind.Relative)))
        {
            await CollectorApi.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        }

        await Client.PostInteractionsAsync([TestRecords.Interaction(traceId)]);
        await Client.PostFeedbackAsync([TestRecords.Feedback(traceId, "rating", 4)]);

        var stored = await Client.GetInteractionAsync(traceId);
        Assert.Equal(traceId, stored["interaction"]!["trace_id"]!.GetValue<string>());
        var feedback = stored["feedback"]!.AsArray();
        Assert.Equal(2, feedback.Count);
        Assert.Equal(["thumbs", "rating"], feedback.Select(f => f!["type"]!.GetValue<string>()));
        Assert.All(feedback, f => Assert.Equal(traceId, f!["trace_id"]!.GetValue<string>()));
        Assert.All(feedback, f => Assert.NotNull(f!["timestamp"]));
    }

    [Fact]
    public async Task PostFeedback_Batch_Returns202AcceptedCount()
    {
        var traceId = TestRecords.NewTraceId();
        JsonObject[] feedback =
        [
            TestRecords.Feedback(traceId, "thumbs", 0),
            TestRecords.Feedback(null, "nps", 9),
            TestRecords.Feedback(null, "csat", 5),
            TestRecords.Feedback(traceId, "text", null, "The answer was wrong."),
        ];

        using var response = await Client.PostJsonAsync("v1/feedback", TestRecords.FeedbackBatch(feedback));

        await CollectorApi.AssertAcceptedAsync(response, 4);
        var report = await Client.GetReportAsync();
        Assert.Equal(4, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostFeedback_BatchWithBadValue_Returns400NamingIndexAndFieldAndKeepsTheRest()
    {
        JsonObject[] feedback =
        [
            TestRecords.Feedback(TestRecords.NewTraceId(), "thumbs", 1),
            TestRecords.Feedback(TestRecords.NewTraceId(), "rating", 7),
            TestRecords.Feedback(null, "csat", 4),
        ];

        using var response = await Client.PostJsonAsync("v1/feedback", TestRecords.FeedbackBatch(feedback));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(2, problem["accepted"]!.GetValue<int>());
        Assert.Equal([(1, "value")], CollectorApi.ErrorFields(problem));
        var report = await Client.GetReportAsync();
        Assert.Equal(2, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
    }
}
