using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Apis;

/// <summary>
/// <c>GET /v1/report</c>: every figure checked against the same figure computed here, independently, from the
/// records the test posted.
/// </summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class ReportApiTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    private static readonly string[] SlaKeys = ["requests", "success_rate", "good_rate", "p50_ms", "p95_ms", "p99_ms", "ttft_p95_ms", "error_budget_remaining_percent"];
    private static readonly string[] HardErrors = ["rate_limit", "timeout", "server_error"];
    private static readonly string[] SoftErrors = ["refusal", "low_quality", "format_error"];

    [Fact]
    public async Task GetReport_LognormalTraffic_SlaFiguresMatchTheRecords()
    {
        var traffic = Traffic.Generate(seed: 7, count: 2000);
        await Client.PostInteractionsAsync(traffic.Records);

        var report = await Client.GetReportAsync();

        AssertSla(report["sla"]!["global"]!, traffic.Records, "global");
        foreach (var (kind, field) in new[] { ("model", "model"), ("feature", "feature"), ("user_tier", "user_tier") })
        {
            foreach (var group in traffic.Records.GroupBy(r => r[field]!.GetValue<string>()))
            {
                AssertSla(report["sla"]![$"{kind}:{group.Key}"] ?? throw new Xunit.Sdk.XunitException($"sla has no '{kind}:{group.Key}'"), [.. group], $"{kind}:{group.Key}");
            }
        }

        var dimensions = report["sla"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var expectedDimensions = new[] { "global" }
            .Concat(traffic.Records.Select(r => "model:" + r["model"]!.GetValue<string>()))
            .Concat(traffic.Records.Select(r => "feature:" + r["feature"]!.GetValue<string>()))
            .Concat(traffic.Records.Select(r => "user_tier:" + r["user_tier"]!.GetValue<string>()))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedDimensions, dimensions);
    }

    [Fact]
    public async Task GetReport_LognormalTraffic_ErrorsTokensAndCacheMatchTheRecords()
    {
        var traffic = Traffic.Generate(seed: 11, count: 2000);
        await Client.PostInteractionsAsync(traffic.Records);

        var report = await Client.GetReportAsync();

        var expectedErrors = traffic.Records
            .Select(ErrorKey).OfType<string>()
            .GroupBy(k => k).ToDictionary(g => g.Key, g => (long)g.Count());
        var errors = report["errors"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>());
        Assert.Equal(expectedErrors.OrderBy(p => p.Key), errors.Where(p => p.Value != 0).OrderBy(p => p.Key));

        Assert.Equal(traffic.Records.Sum(r => r["input_tokens"]!.GetValue<long>()), report["tokens"]!["input"]!.GetValue<long>());
        Assert.Equal(traffic.Records.Sum(r => r["output_tokens"]!.GetValue<long>()), report["tokens"]!["output"]!.GetValue<long>());
        Assert.Equal(traffic.Records.Sum(r => r["cached_tokens"]?.GetValue<long>() ?? 0), report["tokens"]!["cached"]!.GetValue<long>());

        var hits = traffic.Records.Count(r => r["cache"]?.GetValue<string>() == "hit");
        var misses = traffic.Records.Count(r => r["cache"]?.GetValue<string>() == "miss");
        Assert.Equal(hits, report["cache"]!["hits"]!.GetValue<long>());
        Assert.Equal(misses, report["cache"]!["misses"]!.GetValue<long>());
        Assert.Equal((double)hits / (hits + misses), report["cache"]!["hit_rate"]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task GetReport_PricedTraffic_CostsMatchThePriceCatalog()
    {
        var traffic = Traffic.Generate(seed: 13, count: 600);
        // One record brings its own cost: it is used as given, not priced.
        var given = TestRecords.Interaction(model: "gpt-4.1", latencyMs: 300);
        given["feature"] = "search";
        given["user_tier"] = "pro";
        given["input_tokens"] = 1000;
        given["output_tokens"] = 1000;
        given["cost_usd"] = 0.123;
        var records = traffic.Records.Append(TestRecords.Reparse(given)).ToList();
        await Client.PostInteractionsAsync(records);
        var judgedFrom = DateTimeOffset.UtcNow;

        var report = await Client.GetReportAsync();
        var judgedTo = DateTimeOffset.UtcNow;

        var cost = report["cost"]!;
        var total = records.Sum(Traffic.ExpectedCost);
        Assert.Equal(total, cost["total_usd"]!.GetValue<decimal>());
        Assert.Equal(total / records.Count, cost["per_interaction_usd"]!.GetValue<decimal>(), 9);
        foreach (var (key, field) in new[] { ("by_model", "model"), ("by_feature", "feature"), ("by_user_tier", "user_tier") })
        {
            var expected = records.GroupBy(r => r[field]!.GetValue<string>())
                .ToDictionary(g => g.Key, g => g.Sum(Traffic.ExpectedCost));
            var actual = cost[key]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>());
            Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        }

        var budget = cost["budget"]!;
        Assert.Equal(5000m, budget["monthly_budget_usd"]!.GetValue<decimal>());
        // The server judges the budget in its own month, taken between judgedFrom and judgedTo: across a month's turn, either.
        var monthTotal = budget["month_total_usd"]!.GetValue<decimal>();
        Assert.Contains(monthTotal, new[] { judgedFrom, judgedTo }.Select(month => records.Where(r => InMonth(r, month)).Sum(Traffic.ExpectedCost)));
        Assert.Equal((double)(monthTotal / 5000m * 100m), budget["usage_percent"]!.GetValue<double>(), 3);
        Assert.False(budget["projected_over_budget"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetReport_FewHardErrors_ErrorBudgetRemainingIsTheUnspentShare()
    {
        // 1000 requests, 2 failed: 0.2% spent of the 0.5% the 99.5% SLO allows, so 60% remains.
        var records = Enumerable.Range(0, 1000).Select(i => TestRecords.Interaction(latencyMs: 100 + i)).ToList();
        records[10]["status"] = "error";
        records[10]["http_status"] = 503;
        records[20]["status"] = "error";
        records[20]["error_type"] = "timeout";
        records[30]["error_type"] = "refusal"; // soft: not good, but no budget spent
        await Client.PostInteractionsAsync(records);

        var global = (await Client.GetReportAsync())["sla"]!["global"]!;

        Assert.Equal(0.998, global["success_rate"]!.GetValue<double>(), 12);
        Assert.Equal(0.997, global["good_rate"]!.GetValue<double>(), 12);
        Assert.Equal(60.0, global["error_budget_remaining_percent"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task GetReport_Feedback_SatisfactionMatchesTheAnswers()
    {
        var traceIds = Enumerable.Range(0, 10).Select(_ => TestRecords.NewTraceId()).ToList();
        await Client.PostInteractionsAsync([.. traceIds.Select(id => TestRecords.Interaction(id))]);
        double[] thumbs = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0];
        double[] ratings = [5, 4, 3, 5, 1];
        double[] csat = [5, 4, 2, 3, 4];
        double[] nps = [10, 9, 9, 10, 9, 7, 8, 0, 6, 3];
        var feedback = new List<JsonObject>();
        feedback.AddRange(thumbs.Select((v, i) => TestRecords.Feedback(traceIds[i], "thumbs", v)));
        feedback.AddRange(ratings.Select((v, i) => TestRecords.Feedback(traceIds[i], "rating", v)));
        feedback.AddRange(csat.Select(v => TestRecords.Feedback(null, "csat", v)));
        feedback.AddRange(nps.Select(v => TestRecords.Feedback(null, "nps", v)));
        feedback.Add(TestRecords.Feedback(traceIds[0], "text", null, "Helpful."));
        await Client.PostFeedbackAsync(feedback);

        var satisfaction = (await Client.GetReportAsync())["satisfaction"]!;

        Assert.Equal(feedback.Count, satisfaction["total_feedbacks"]!.GetValue<long>());
        Assert.Equal(thumbs.Count(v => v == 1) / (double)thumbs.Length, satisfaction["thumbs_up_rate"]!.GetValue<double>(), 12);
        Assert.Equal(ratings.Average(), satisfaction["avg_rating"]!.GetValue<double>(), 12);
        Assert.Equal(csat.Average(), satisfaction["avg_csat"]!.GetValue<double>(), 12);
        Assert.Equal(100.0 * csat.Count(v => v >= 4) / csat.Length, satisfaction["csat_satisfied_percent"]!.GetValue<double>(), 12);
        var expectedNps = (int)Math.Round(100.0 * (nps.Count(v => v >= 9) - nps.Count(v => v <= 6)) / nps.Length);
        Assert.Equal(JsonValueKind.Number, satisfaction["nps"]!.GetValueKind());
        Assert.DoesNotContain('.', satisfaction["nps"]!.ToJsonString());
        Assert.Equal(20, expectedNps);
        Assert.Equal(expectedNps, satisfaction["nps"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetReport_NoTtftAndNoFeedback_ThoseFiguresAreNull()
    {
        await Client.PostInteractionsAsync([TestRecords.Interaction(latencyMs: 120), TestRecords.Interaction(model: "gpt-4.1", latencyMs: 80)]);

        var report = await Client.GetReportAsync();

        AssertNull(report, "sla.global.ttft_p95_ms");
        AssertNull(report, "sla.model:gpt-4.1.ttft_p95_ms");
        Assert.Equal(2, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.NotNull(report["sla"]!["global"]!["p95_ms"]);
        Assert.Equal(0, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
        foreach (var figure in new[] { "thumbs_up_rate", "avg_rating", "avg_csat", "csat_satisfied_percent", "nps" })
        {
            AssertNull(report, "satisfaction." + figure);
        }

        AssertNull(report, "cache.hit_rate");
        AssertNull(report, "quality.avg_overall");
        AssertNull(report, "quality.hallucination_rate");
    }

    [Fact]
    public async Task GetReport_Empty_HasEveryContractKeyAndNullFigures()
    {
        var report = await Client.GetReportAsync();

        AssertContractKeys(report);
        var global = report["sla"]!["global"]!;
        Assert.Equal(0, global["requests"]!.GetValue<long>());
        foreach (var figure in SlaKeys.Skip(1))
        {
            AssertNull(report, "sla.global." + figure);
        }

        AssertNull(report, "cost.per_interaction_usd");
        Assert.Equal(0m, report["cost"]!["total_usd"]!.GetValue<decimal>());
        Assert.Equal(0, report["cache"]!["hits"]!.GetValue<long>());
        AssertNull(report, "cache.hit_rate");
        AssertNull(report, "satisfaction.nps");
    }

    [Fact]
    public async Task GetReport_WithTraffic_HasEveryContractKey()
    {
        var traffic = Traffic.Generate(seed: 17, count: 200);
        await Client.PostInteractionsAsync(traffic.Records);
        await Client.PostFeedbackAsync([TestRecords.Feedback(traffic.Records[0]["trace_id"]!.GetValue<string>(), "thumbs", 1), TestRecords.Feedback(null, "nps", 10)]);

        var report = await Client.GetReportAsync();

        AssertContractKeys(report);
        Assert.Equal("normal", report["incident"]!["mode"]!.GetValue<string>());
        foreach (var (key, figures) in report["sla"]!.AsObject())
        {
            Assert.True(key == "global" || key.StartsWith("model:", StringComparison.Ordinal) || key.StartsWith("feature:", StringComparison.Ordinal)
                || key.StartsWith("user_tier:", StringComparison.Ordinal), $"Unexpected sla key '{key}'");
            Assert.Equal(SlaKeys.Order(StringComparer.Ordinal), figures!.AsObject().Select(p => p.Key).Intersect(SlaKeys).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task GetReport_FromTo_EqualsTheWindowReportOfTheSameRecords()
    {
        var traffic = Traffic.Generate(seed: 19, count: 1500);
        await Client.PostInteractionsAsync(traffic.Records);
        await Client.PostFeedbackAsync([
            TestRecords.Feedback(traffic.Records[0]["trace_id"]!.GetValue<string>(), "thumbs", 1),
            TestRecords.Feedback(traffic.Records[1]["trace_id"]!.GetValue<string>(), "rating", 4),
            TestRecords.Feedback(null, "csat", 5),
            TestRecords.Feedback(null, "nps", 3),
        ]);
        var now = DateTimeOffset.UtcNow;

        var window = await Client.GetReportAsync();
        var scan = await Client.GetReportAsync($"?from={Uri.EscapeDataString(TestRecords.Rfc3339(now.AddMinutes(-50)))}&to={Uri.EscapeDataString(TestRecords.Rfc3339(now.AddMinutes(5)))}");

        Assert.Equal(traffic.Records.Count, scan["sla"]!["global"]!["requests"]!.GetValue<long>());
        var windowFrom = DateTimeOffset.Parse(scan["window"]!["from"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(now.AddMinutes(-50), windowFrom, TimeSpan.FromMilliseconds(1));
        window.Remove("window");
        scan.Remove("window");
        ReportComparison.DropBudgetIfTheDayChanged(now.UtcDateTime, window, scan);

        Assert.True(JsonNode.DeepEquals(window, scan), $"The store scan differs from the window.{Environment.NewLine}window: {window.ToJsonString()}{Environment.NewLine}scan:   {scan.ToJsonString()}");
    }

    [Fact]
    public async Task GetReport_FromTo_CountsOnlyRecordsInTheRange()
    {
        var now = DateTimeOffset.UtcNow;
        await Client.PostInteractionsAsync([TestRecords.Interaction(timestamp: now.AddMinutes(-30)), TestRecords.Interaction(timestamp: now.AddMinutes(-5))]);

        var scan = await Client.GetReportAsync($"?from={Uri.EscapeDataString(TestRecords.Rfc3339(now.AddMinutes(-10)))}&to={Uri.EscapeDataString(TestRecords.Rfc3339(now))}");

        Assert.Equal(1, scan["sla"]!["global"]!["requests"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("")]
    public async Task GetReport_InvalidFrom_Returns400NamingFrom(string from)
    {
        using var response = await Client.GetAsync(new Uri("v1/report?from=" + Uri.EscapeDataString(from) + "&to=2025-01-01T00:00:00Z", UriKind.Relative));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(CollectorApi.ErrorFields(problem), e => e.Field == "from");
        Assert.Contains("from", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReport_FromNotBeforeTo_Returns400NamingFrom()
    {
        using var response = await Client.GetAsync(new Uri("v1/report?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", UriKind.Relative));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(CollectorApi.ErrorFields(problem), e => e.Field == "from");
    }

    private static bool InMonth(JsonObject record, DateTimeOffset month)
    {
        var timestamp = DateTimeOffset.Parse(record["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;
        return timestamp.Year == month.UtcDateTime.Year && timestamp.Month == month.UtcDateTime.Month;
    }

    private static string? ErrorKey(JsonObject record)
    {
        if (record["error_type"]?.GetValue<string>() is { } type)
        {
            return type;
        }

        if (record["status"]!.GetValue<string>() != "error")
        {
            return null;
        }

        // The contract: derived from http_status when absent.
        return record["http_status"]?.GetValue<int>() switch
        {
            429 => "rate_limit",
            401 or 403 => "auth_failure",
            408 => "timeout",
            _ => "server_error",
        };
    }

    private static void AssertSla(JsonNode figures, IReadOnlyList<JsonObject> records, string what)
    {
        var n = records.Count;
        Assert.Equal(n, figures["requests"]!.GetValue<long>());
        var successes = records.Count(r => r["status"]!.GetValue<string>() == "success");
        var good = records.Count(r => r["status"]!.GetValue<string>() == "success" && r["error_type"] is null);
        Assert.Equal((double)successes / n, figures["success_rate"]!.GetValue<double>(), 12);
        Assert.Equal((double)good / n, figures["good_rate"]!.GetValue<double>(), 12);
        var latencies = records.Select(r => r["latency_ms"]!.GetValue<double>()).ToList();
        ExactStatistics.AssertWithinPercent(ExactStatistics.Quantile(latencies, 0.50), figures["p50_ms"]?.GetValue<double>(), 1, what + " p50_ms");
        ExactStatistics.AssertWithinPercent(ExactStatistics.Quantile(latencies, 0.95), figures["p95_ms"]?.GetValue<double>(), 1, what + " p95_ms");
        ExactStatistics.AssertWithinPercent(ExactStatistics.Quantile(latencies, 0.99), figures["p99_ms"]?.GetValue<double>(), 1, what + " p99_ms");
        var ttfts = records.Where(r => r["ttft_ms"] is not null).Select(r => r["ttft_ms"]!.GetValue<double>()).ToList();
        if (ttfts.Count > 0)
        {
            ExactStatistics.AssertWithinPercent(ExactStatistics.Quantile(ttfts, 0.95), figures["ttft_p95_ms"]?.GetValue<double>(), 1, what + " ttft_p95_ms");
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, figures["ttft_p95_ms"]?.GetValueKind() ?? JsonValueKind.Null);
        }

        var allowed = 1 - 0.995;
        var expectedBudget = Math.Clamp((allowed - (1 - ((double)successes / n))) / allowed * 100, 0, 100);
        Assert.Equal(expectedBudget, figures["error_budget_remaining_percent"]!.GetValue<double>(), 6);
    }

    private static void AssertNull(JsonObject report, string path)
    {
        JsonNode? node = report;
        var parts = path.StartsWith("sla.", StringComparison.Ordinal)
            ? ["sla", path[4..path.LastIndexOf('.')], path[(path.LastIndexOf('.') + 1)..]]
            : path.Split('.');
        foreach (var part in parts[..^1])
        {
            node = node?[part];
            Assert.True(node is not null, $"The report has no '{part}' on the way to '{path}'");
        }

        Assert.True(node!.AsObject().TryGetPropertyValue(parts[^1], out var value), $"The report has no key '{path}' (a figure without data must be null, not absent)");
        Assert.True(value is null, $"'{path}' must be null without data, got {value?.ToJsonString()}");
    }

    private static void AssertContractKeys(JsonObject report)
    {
        void Has(JsonNode? node, string where, params string[] keys)
        {
            Assert.True(node is JsonObject, $"'{where}' must be an object, got {node?.ToJsonString() ?? "nothing"}");
            foreach (var key in keys)
            {
                Assert.True(node!.AsObject().ContainsKey(key), $"'{where}' has no key '{key}': {node.ToJsonString()}");
            }
        }

        Has(report, "report", "window", "sla", "errors", "tokens", "cost", "cache", "satisfaction", "quality", "drift", "incident");
        Has(report["window"], "window", "from", "to");
        Has(report["sla"], "sla", "global");
        Has(report["sla"]!["global"], "sla.global", SlaKeys);
        Has(report["errors"], "errors");
        Has(report["tokens"], "tokens", "input", "output", "cached");
        Has(report["cost"], "cost", "total_usd", "per_interaction_usd", "by_model", "by_feature", "by_user_tier", "budget");
        Has(report["cost"]!["by_model"], "cost.by_model");
        Has(report["cost"]!["by_feature"], "cost.by_feature");
        Has(report["cost"]!["by_user_tier"], "cost.by_user_tier");
        Has(report["cost"]!["budget"], "cost.budget", "monthly_budget_usd", "month_total_usd", "usage_percent", "daily_average_usd", "projected_monthly_usd", "projected_over_budget");
        Has(report["cache"], "cache", "hits", "misses", "hit_rate");
        Has(report["satisfaction"], "satisfaction", "total_feedbacks", "thumbs_up_rate", "avg_rating", "avg_csat", "csat_satisfied_percent", "nps");
        Has(report["quality"], "quality", "evaluated", "avg_overall", "hallucination_rate");
        Has(report["drift"], "drift");
        Has(report["incident"], "incident", "mode");
    }
}
