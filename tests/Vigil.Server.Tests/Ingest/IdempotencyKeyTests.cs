using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Ingest;

/// <summary>
/// The <c>Idempotency-Key</c> header of <c>POST /v1/interactions</c> and <c>POST /v1/feedback</c>: a repeat of a request
/// with the same key on the same endpoint stores nothing and is answered with the first answer's count, also after a
/// restart of the collector.
/// </summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class IdempotencyKeyTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    [Fact]
    public async Task PostInteractions_SameKeyTwice_SecondStoresNothingAndAnswersTheFirstCount()
    {
        var first = Interactions(3);
        var second = Interactions(5);

        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch(first), "batch-1"), 3);
        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch(second), "batch-1"), 3);

        var report = await Client.GetReportAsync();
        Assert.Equal(3, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, await Client.GetInteractionStatusAsync(TraceId(first[2])));
        Assert.Equal(HttpStatusCode.NotFound, await Client.GetInteractionStatusAsync(TraceId(second[0])));
        Assert.Contains("llm_requests_total", await Client.GetStringAsync("metrics"), StringComparison.Ordinal);
        Assert.Equal(3, await RequestsInMetricsAsync());
    }

    [Fact]
    public async Task PostBoth_SameKeysAfterRestart_StillStoreNothing()
    {
        var interaction = TestRecords.Interaction();
        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch([interaction]), "k-restart"), 1);
        var feedback = new[] { TestRecords.Feedback(TraceId(interaction), "thumbs", 1), TestRecords.Feedback(TraceId(interaction), "thumbs", 1) };
        await AssertAcceptedAsync(await PostAsync("v1/feedback", TestRecords.FeedbackBatch(feedback), "k-restart"), 2);

        await StartCollectorAsync();

        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch(Interactions(4)), "k-restart"), 1);
        await AssertAcceptedAsync(await PostAsync("v1/feedback", TestRecords.FeedbackBatch(feedback), "k-restart"), 2);
        var report = await Client.GetReportAsync();
        Assert.Equal(1, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(2, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostFeedback_BatchRepeatedWithSameKey_IsCountedOnceInTheReport()
    {
        var interaction = TestRecords.Interaction();
        await Client.PostInteractionsAsync([interaction]);
        var batch = TestRecords.FeedbackBatch([TestRecords.Feedback(TraceId(interaction), "thumbs", 1), TestRecords.Feedback(TraceId(interaction), "thumbs", 0)]);

        for (var i = 0; i < 3; i++)
        {
            await AssertAcceptedAsync(await PostAsync("v1/feedback", batch, "feedback-batch-7"), 2);
        }

        var report = await Client.GetReportAsync();
        Assert.Equal(2, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
        Assert.Equal(0.5, report["satisfaction"]!["thumbs_up_rate"]!.GetValue<double>());
        Assert.Equal(2, (await Client.GetInteractionAsync(TraceId(interaction)))["feedback"]!.AsArray().Count);
    }

    [Fact]
    public async Task PostInteractions_KeyUsedBeforeOnFeedback_IsAnotherKey()
    {
        await AssertAcceptedAsync(await PostAsync("v1/feedback", TestRecords.Feedback(null, "csat", 5), "shared"), 1);

        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch(Interactions(2)), "shared"), 2);

        Assert.Equal(2, (await Client.GetReportAsync())["sla"]!["global"]!["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostInteractions_ConcurrentRequestsWithOneKey_StoreOneOfThem()
    {
        var batches = Enumerable.Range(0, 8).Select(_ => Interactions(2)).ToList();

        var responses = await Task.WhenAll(batches.Select(b => PostAsync("v1/interactions", TestRecords.InteractionBatch(b), "concurrent")));

        foreach (var response in responses)
        {
            await AssertAcceptedAsync(response, 2);
        }

        Assert.Equal(2, (await Client.GetReportAsync())["sla"]!["global"]!["requests"]!.GetValue<long>());
        var stored = 0;
        foreach (var record in batches.SelectMany(b => b))
        {
            stored += await Client.GetInteractionStatusAsync(TraceId(record)) == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.Equal(2, stored);
    }

    [Fact]
    public async Task PostInteractions_KeyOfAPartlyRejectedBatch_RepeatIsAnswered202WithTheStoredCount()
    {
        var bad = TestRecords.Interaction();
        bad["latency_ms"] = -1;
        var body = TestRecords.InteractionBatch([TestRecords.Interaction(), bad]);

        using (var first = await PostAsync("v1/interactions", body, "partly"))
        {
            var problem = await CollectorApi.AssertProblemAsync(first, HttpStatusCode.BadRequest);
            Assert.Equal(1, problem["accepted"]!.GetValue<int>());
        }

        await AssertAcceptedAsync(await PostAsync("v1/interactions", body, "partly"), 1);
        Assert.Equal(1, (await Client.GetReportAsync())["sla"]!["global"]!["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostInteractions_WithoutKey_RepeatIsStoredAgainAsBefore()
    {
        var batch = TestRecords.InteractionBatch(Interactions(2));

        await AssertAcceptedAsync(await PostAsync("v1/interactions", batch, key: null), 2);
        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch(Interactions(3)), key: null), 3);

        Assert.Equal(5, (await Client.GetReportAsync())["sla"]!["global"]!["requests"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("v1/interactions", "")]
    [InlineData("v1/interactions", "tab\there")]
    [InlineData("v1/feedback", "201")]
    public async Task Post_InvalidKey_Returns400NamingTheHeaderAndStoresNothing(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(
                (path.EndsWith("feedback", StringComparison.Ordinal) ? TestRecords.Feedback(null, "csat", 5) : TestRecords.Interaction()).ToJsonString(),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key == "201" ? new string('k', 201) : key);

        using var response = await Client.SendAsync(request);

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([(null, "Idempotency-Key")], CollectorApi.ErrorFields(problem));
        var report = await Client.GetReportAsync();
        Assert.Equal(0, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(0, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostInteractions_KeyOf200PrintableCharacters_IsTaken()
    {
        var key = string.Concat(Enumerable.Range(0, 200).Select(i => (char)(' ' + 1 + (i % 94))));

        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch(Interactions(1)), key), 1);
        await AssertAcceptedAsync(await PostAsync("v1/interactions", TestRecords.InteractionBatch(Interactions(2)), key), 1);
    }

    private static List<JsonObject> Interactions(int count) => [.. Enumerable.Range(0, count).Select(_ => TestRecords.Interaction())];

    private static string TraceId(JsonObject record) => record["trace_id"]!.GetValue<string>();

    private static async Task AssertAcceptedAsync(HttpResponseMessage response, int accepted)
    {
        using (response)
        {
            await CollectorApi.AssertAcceptedAsync(response, accepted);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, JsonNode body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await Client.SendAsync(request);
    }

    private async Task<double> RequestsInMetricsAsync() =>
        PrometheusSample.ParseAll(await Client.GetStringAsync("metrics")).Where(s => s.Name == "llm_requests_total").Sum(s => s.Value);
}
