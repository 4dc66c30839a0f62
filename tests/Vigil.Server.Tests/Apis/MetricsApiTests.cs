using System.Net;
using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Apis;

/// <summary><c>GET /metrics</c> (the seed's metric catalog from posted records) and <c>GET /healthz</c>.</summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class MetricsApiTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    [Fact]
    public async Task GetMetrics_AfterIngest_ExposesTheCatalogWithThePostedLabels()
    {
        var records = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            var ok = TestRecords.Interaction(model: "gpt-4.1-mini", latencyMs: 200);
            ok["feature"] = "checkout";
            ok["user_tier"] = "pro";
            ok["input_tokens"] = 1000;
            ok["output_tokens"] = 500; // 0.0004 + 0.0008 = 0.0012 USD
            records.Add(ok);
        }

        var limited = TestRecords.Interaction(model: "gpt-4.1", latencyMs: 30);
        limited["feature"] = "checkout";
        limited["status"] = "error";
        limited["http_status"] = 429;
        records.Add(limited);
        var refused = TestRecords.Interaction(model: "gpt-4.1", latencyMs: 900);
        refused["feature"] = "search";
        refused["error_type"] = "refusal";
        refused["ttft_ms"] = 150;
        records.Add(refused);
        await Client.PostInteractionsAsync(records);
        await Client.PostFeedbackAsync([TestRecords.Feedback(refused["trace_id"]!.GetValue<string>(), "thumbs", 0)]);

        var samples = await ScrapeAsync();

        AssertSample(samples, "llm_requests_total", 5, ("model", "gpt-4.1-mini"), ("endpoint", "checkout"), ("status", "success"), ("error_type", "none"));
        AssertSample(samples, "llm_requests_total", 1, ("model", "gpt-4.1"), ("endpoint", "checkout"), ("status", "error"), ("error_type", "rate_limit"));
        AssertSample(samples, "llm_requests_total", 1, ("model", "gpt-4.1"), ("endpoint", "search"), ("status", "success"), ("error_type", "refusal"));
        Assert.Equal(7, samples.Where(s => s.Name == "llm_requests_total").Sum(s => s.Value));
        AssertSample(samples, "llm_errors_total", 1, ("model", "gpt-4.1"), ("error_type", "rate_limit"));
        AssertSample(samples, "llm_tokens_total", 5000, ("model", "gpt-4.1-mini"), ("token_type", "input"));
        AssertSample(samples, "llm_tokens_total", 2500, ("model", "gpt-4.1-mini"), ("token_type", "output"));
        var cost = samples.Single(s => s.Name == "llm_cost_dollars_total" && s.Has(("model", "gpt-4.1-mini"), ("feature", "checkout"), ("user_tier", "pro")));
        Assert.Equal(0.006, cost.Value, 9);
        AssertSample(samples, "llm_request_duration_seconds_count", 5, ("model", "gpt-4.1-mini"), ("endpoint", "checkout"));
        var duration = samples.Single(s => s.Name == "llm_request_duration_seconds_sum" && s.Has(("model", "gpt-4.1-mini"), ("endpoint", "checkout")));
        Assert.Equal(1.0, duration.Value, 9);
        AssertSample(samples, "llm_time_to_first_token_seconds_count", 1, ("model", "gpt-4.1"));
        AssertSample(samples, "user_feedback_total", 1, ("feedback_type", "thumbs_down"));
        Assert.DoesNotContain(samples, s => s.Labels.ContainsKey("user_id") || s.Labels.ContainsKey("trace_id"));
    }

    [Fact]
    public async Task GetMetrics_RepeatedTraceId_CountsTheRequestOnce()
    {
        var record = TestRecords.Interaction(model: "gpt-4.1-nano");
        await Client.PostInteractionsAsync([record]);
        await Client.PostInteractionsAsync([record]);
        await Client.PostInteractionsAsync([record, record]);

        var samples = await ScrapeAsync();

        Assert.Equal(1, samples.Where(s => s.Name == "llm_requests_total" && s.Has(("model", "gpt-4.1-nano"))).Sum(s => s.Value));
    }

    [Fact]
    public async Task GetMetrics_ContentType_IsPrometheusText()
    {
        await Client.PostInteractionsAsync([TestRecords.Interaction()]);

        using var response = await Client.GetAsync(new Uri("metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE llm_requests_total counter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHealthz_StoreAnswers_Returns200()
    {
        using var response = await Client.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync()
    {
        using var response = await Client.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusSample.ParseAll(await response.Content.ReadAsStringAsync());
    }

    private static void AssertSample(IReadOnlyList<PrometheusSample> samples, string name, double value, params (string Name, string Value)[] labels)
    {
        var matching = samples.Where(s => s.Name == name && s.Has(labels)).ToList();
        Assert.True(matching.Count > 0, $"No {name} sample with {string.Join(", ", labels.Select(l => $"{l.Name}=\"{l.Value}\""))}; "
            + $"{name} samples: {string.Join(" | ", samples.Where(s => s.Name == name).Select(s => string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}")) + " " + s.Value))}");
        Assert.Equal(value, matching.Sum(s => s.Value), 9);
    }
}
