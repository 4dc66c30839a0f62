using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Vigil.Server.Tests.Apis;
using Vigil.Server.Tests.Drift;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Page;

/// <summary>
/// The dashboard page in headless Chromium against a real collector fed every kind of record (interactions with errors,
/// cache outcomes and embeddings, feedback of each kind, judge verdicts from a judge on loopback) and a firing alert from
/// Alertmanager's webhook: every panel shows a figure, the alert and the mode are there, nothing went wrong in the page,
/// and no request left the collector.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class DashboardPageBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AlertName = "LLMSuccessRateCritical";
    private const string ReadKey = "page-read-key";
    private const string Runbook = "https://runbooks.example.com/LLMSuccessRateCritical.md";

    /// <summary>The figures that data exists for once the collector is fed; each must show a number, not "—".</summary>
    private static readonly string[] Figures =
    [
        "success_rate", "good_rate", "error_budget_remaining_percent", "requests",
        "p50_ms", "p95_ms", "p99_ms", "ttft_p95_ms",
        "hour_cost_usd", "hourly_budget_usd", "month_total_usd", "usage_percent", "projected_monthly_usd",
        "thumbs_up_rate", "avg_rating", "csat_satisfied_percent", "nps",
        "avg_overall", "evaluated", "hallucination_rate",
        "cache_hit_rate", "cache_hits", "cache_misses",
        "mode", "mode_since",
    ];

    private readonly JudgeStubServer _judge = new();
    private readonly SqliteTestStore _store = new();
    private int _verdicts;

    public async Task InitializeAsync()
    {
        // Every fourth verdict is a hallucinating, low-quality one; the others are good.
        _judge.Handler = _ => JudgeStubReply.Content(Interlocked.Increment(ref _verdicts) % 4 == 0
            ? """{"relevance": 2, "coherence": 2, "faithfulness": 1, "safety": 5, "overall": 2, "is_hallucination": true, "reasoning": "Invents a setting."}"""
            : JudgeStubServer.GoodVerdict);
        await _judge.InitializeAsync();
        await _store.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _judge.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Page_CollectorWithEveryKindOfRecordAndAFiringAlert_ShowsEveryPanelLiveWithoutErrors()
    {
        await using var collector = await StartCollectorAsync();
        var report = await FeedAsync(collector.Client);
        var incident = await collector.Client.GetJsonAsync("v1/incident");
        var incidents = (await collector.Client.GetJsonAsync("v1/incidents"))["incidents"]!.AsArray();

        await using var browser = await BrowserSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.Page.GotoAsync(collector.Address.ToString());
        await page.WaitUntilWholeAsync();

        foreach (var figure in Figures)
        {
            var text = await page.Page.Locator($"[data-figure=\"{figure}\"]").First.TextContentAsync();
            Assert.False(string.IsNullOrWhiteSpace(text) || text == "\u2014", $"{figure} shows '{text}' though the report has data for it");
        }

        // The figures are the report's, formatted: no figure computed for the page alone.
        var global = report["sla"]!["global"]!;
        Assert.Equal(global["requests"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture), await Figure(page.Page, "requests"));
        Assert.Equal($"{global["success_rate"]!.GetValue<double>() * 100:0.0}%", await Figure(page.Page, "success_rate"));
        Assert.Equal($"{report["cache"]!["hit_rate"]!.GetValue<double>() * 100:0.0}%", await Figure(page.Page, "cache_hit_rate"));
        Assert.Equal(SignedNps(report["satisfaction"]!["nps"]!.GetValue<int>()), await Figure(page.Page, "nps"));

        var mode = incident["mode"]!.GetValue<string>();
        Assert.Equal("fallback_model", mode);
        Assert.Equal(mode, await Figure(page.Page, "mode"));
        Assert.Contains($"mode-{mode}", await page.Page.Locator("[data-figure=\"mode\"]").GetAttributeAsync("class"), StringComparison.Ordinal);

        // Vigil's own engine may fire the same rule on this traffic: the webhook's alert is the one with its runbook.
        var alertRows = page.Page.Locator("#alert-rows tr").Filter(new LocatorFilterOptions { HasText = AlertName });
        var received = alertRows.Filter(new LocatorFilterOptions { Has = page.Page.Locator($"a[href=\"{Runbook}\"]") });
        Assert.Equal(1, await received.CountAsync());
        Assert.Contains("firing", await received.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("critical", await received.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(Math.Min(20, incidents.Count), await page.Page.Locator("#incident-rows tr").CountAsync());
        Assert.True(await page.Page.Locator("#drift-rows tr").CountAsync() > 0, "no drift detector shown");
        Assert.Contains(report["errors"]!.AsObject().Select(e => e.Key).First(),
            await page.Page.EvaluateAsync<string[]>("() => Chart.getChart('chart-errors').data.labels"));
        foreach (var chart in new[] { "chart-rates", "chart-latency", "chart-cost", "chart-satisfaction" })
        {
            Assert.True(await page.Page.EvaluateAsync<bool>("id => Chart.getChart(id).data.datasets.every(d => d.data.some(p => p.y !== null))", chart),
                $"{chart} has a series without a point");
        }

        Assert.True(await page.Page.Locator("#connection").IsHiddenAsync(), "the offline note shows while the collector answers");

        var screenshot = await page.ScreenshotAsync("dashboard.png");
        output.WriteLine($"screenshot: {screenshot}");

        Assert.True(page.Errors.Count == 0, "errors in the page:" + Environment.NewLine + string.Join(Environment.NewLine, page.Errors));
        Assert.True(page.FailedRequests.Count == 0, "failed requests:" + Environment.NewLine + string.Join(Environment.NewLine, page.FailedRequests));
        var origin = collector.Address.GetLeftPart(UriPartial.Authority);
        var elsewhere = page.Requests.Where(url => !url.StartsWith(origin + "/", StringComparison.Ordinal)).ToList();
        Assert.True(elsewhere.Count == 0, "requests to other hosts: " + string.Join(", ", elsewhere));
        Assert.Contains(page.Requests, url => url.StartsWith(origin + "/v1/report?from=", StringComparison.Ordinal));
        Assert.Contains(origin + "/v1/alerts", page.Requests);
    }

    [Fact]
    public async Task Page_ReadKeysAndBasicCredentials_LoadsAndRefreshesWithTheKey()
    {
        await using var collector = await StartCollectorAsync(ReadKey);

        // Without credentials the page is refused with a Basic challenge (DashboardPageKeyTests); headless Chromium has no
        // prompt to answer it, so Playwright's credentials stand for the user typing the key.
        await using var browser = await BrowserSession.LaunchAsync();
        await using var page = await browser.NewPageAsync(username: "someone", password: ReadKey);
        var response = await page.Page.GotoAsync(collector.Address.ToString());
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        await page.WaitForRefreshesAsync(2);

        Assert.Equal("normal", await Figure(page.Page, "mode"));
        Assert.Equal("0", await Figure(page.Page, "requests"));
        Assert.Equal("\u2014", await Figure(page.Page, "success_rate")); // no data: null, shown as a dash, never 0%
        Assert.True(await page.Page.Locator("#connection").IsHiddenAsync());
        Assert.True(page.Errors.Count == 0, string.Join(Environment.NewLine, page.Errors));
        foreach (var figure in new[] { "p95_ms", "hour_cost_usd", "thumbs_up_rate", "avg_overall", "hallucination_rate", "cache_hit_rate" })
        {
            Assert.True(await Figure(page.Page, figure) is "\u2014" or "$0", $"{figure}: {await Figure(page.Page, figure)}");
        }

        // Only the first request met the challenge; the browser sent the credentials with every one after it, the
        // page's fetches of v1/report, v1/alerts and v1/incidents included.
        var origin = collector.Address.GetLeftPart(UriPartial.Authority);
        Assert.All(page.FailedRequests, failure => Assert.Equal($"GET {origin}/: HTTP 401", failure));
        Assert.Contains(page.Requests, url => url.StartsWith(origin + "/v1/report?from=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_CollectorStops_ShowsOfflineRetryingAndKeepsTheLastFigures()
    {
        var collector = await StartCollectorAsync();
        try
        {
            await collector.Client.PostInteractionsAsync([.. Enumerable.Range(0, 10).Select(_ => TestRecords.Interaction(latencyMs: 420))]);
            await using var browser = await BrowserSession.LaunchAsync();
            await using var page = await browser.NewPageAsync();
            await page.Page.GotoAsync(collector.Address.ToString());
            await page.WaitForRefreshesAsync(1);
            Assert.Equal("10", await Figure(page.Page, "requests"));

            await collector.DisposeAsync();
            await page.Page.Locator("#connection").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 15_000 });

            Assert.Equal("offline, retrying", await page.Page.Locator("#connection").TextContentAsync());
            Assert.Equal("10", await Figure(page.Page, "requests"));
            Assert.Equal("100.0%", await Figure(page.Page, "success_rate"));

            // The browser notes the refused connections itself; the page's own code logs nothing and throws nothing.
            Assert.DoesNotContain(page.Errors, error => !error.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal));
        }
        finally
        {
            await collector.DisposeAsync();
        }
    }

    private async Task<CollectorHost> StartCollectorAsync(string? readKey = null) =>
        await CollectorHost.StartAsync(_store, options =>
        {
            if (readKey is not null)
            {
                options.ReadKeys.Add(readKey);
            }
        }, new Dictionary<string, string?>
        {
            ["Vigil:Server:JudgeEndpoint"] = _judge.BaseUrl.ToString(),
            ["Vigil:Server:JudgeModel"] = "judge-model",
            ["Vigil:OnlineEvaluation:SampleRate"] = "1",
            ["Vigil:Judge:MaxRetries"] = "0",
            ["Vigil:EmbeddingDrift:ReferenceSize"] = "20",
            ["Vigil:EmbeddingDrift:CurrentSize"] = "20",
            ["Vigil:EmbeddingDrift:Interval"] = "00:00:00.200",
        });

    /// <summary>
    /// Seeded traffic over the last 40 minutes (the trends' backfill) and a minute's worth now (the live point), feedback of
    /// every kind, judge verdicts, embeddings for the drift watch, a firing critical alert through Alertmanager's webhook
    /// and a mode set by hand; waits until the collector has judged and run a drift round. Returns the report the page must show.
    /// </summary>
    private static async Task<JsonObject> FeedAsync(HttpClient client)
    {
        var embeddings = new EmbeddingStream(seed: 21);
        var past = Traffic.Generate(seed: 7, count: 240).Records.Select(r => (JsonObject)r.DeepClone()).ToList();
        var now = Traffic.Generate(seed: 8, count: 120).Records.Select(r => (JsonObject)r.DeepClone()).ToList();
        foreach (var record in now)
        {
            record["timestamp"] = TestRecords.Rfc3339(DateTimeOffset.UtcNow.AddSeconds(-2));
        }

        var all = past.Concat(now).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            var record = all[i];
            record["embedding"] = new JsonArray([.. embeddings.Base().Select(value => JsonValue.Create(value))]);
            if (i % 5 == 0 && record["status"]!.GetValue<string>() == "success")
            {
                record["query"] = "How do I reset my password?";
                record["response"] = "Open Settings, choose Security, then Reset password.";
            }
        }

        foreach (var batch in all.Chunk(100))
        {
            await client.PostInteractionsAsync(batch);
        }

        var traceIds = now.Select(record => record["trace_id"]!.GetValue<string>()).ToList();
        var feedback = new List<JsonObject>();
        for (var i = 0; i < 40; i++)
        {
            feedback.Add(TestRecords.Feedback(traceIds[i], "thumbs", i % 4 == 0 ? 0 : 1));
        }

        for (var i = 0; i < 20; i++)
        {
            feedback.Add(TestRecords.Feedback(traceIds[40 + i], "rating", 1 + (i % 5)));
            feedback.Add(TestRecords.Feedback(traceIds[60 + i], "csat", i % 3 == 0 ? 3 : 5));
            feedback.Add(TestRecords.Feedback(traceIds[80 + i], "nps", i % 10));
        }

        feedback.Add(TestRecords.Feedback(traceIds[100], "text", null, "Clear answer, thanks."));
        await client.PostFeedbackAsync(feedback);

        var startsAt = TestRecords.Rfc3339(DateTimeOffset.UtcNow.AddMinutes(-3));
        var alert = $$"""
            {
              "version": "4", "status": "firing", "receiver": "vigil", "groupKey": "{}:{alertname=\"{{AlertName}}\"}",
              "alerts": [{
                "status": "firing",
                "labels": { "alertname": "{{AlertName}}", "severity": "critical", "team": "ai-platform" },
                "annotations": { "summary": "LLM API success rate below 95%", "runbook_url": "{{Runbook}}" },
                "startsAt": "{{startsAt}}", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "0a1b2c3d4e5f6789"
              }]
            }
            """;
        using (var response = await client.PostAsync(new Uri("v1/alertmanager", UriKind.Relative), new StringContent(alert, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // An operator's override, as during an outage: the mode badge and the incident log have something to show.
        using (var response = await client.PutAsync(new Uri("v1/incident", UriKind.Relative),
            new StringContent("""{"mode": "fallback_model", "reason": "provider outage: answering with the fallback model"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        JsonObject report = null!;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            report = await client.GetReportAsync();
            var alerts = (await client.GetJsonAsync("v1/alerts"))["alerts"]!.AsArray();
            if (report["quality"]!["evaluated"]!.GetValue<long>() >= 20 && report["drift"]!["embedding"] is not null
                && report["quality"]!["hallucination_rate"]!.GetValue<double>() > 0
                && alerts.Any(a => a!["name"]!.GetValue<string>() == AlertName && a["state"]!.GetValue<string>() == "firing"))
            {
                return report;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting for the judge, the drift watch and the alert: " + report.ToJsonString());
            await Task.Delay(200);
        }
    }

    private static async Task<string?> Figure(IPage page, string name) =>
        (await page.Locator($"[data-figure=\"{name}\"]").First.TextContentAsync())?.Trim();

    private static string SignedNps(int nps) => nps > 0 ? $"+{nps}" : nps.ToString(CultureInfo.InvariantCulture);
}
