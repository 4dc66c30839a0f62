using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vigil.Alerting.Dashboards;
using Vigil.Server.Tests.Apis;
using Vigil.Server.Tests.Drift;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Server.Tests.Infrastructure.Tools;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Dashboards;

/// <summary>
/// Every query of the shipped Grafana dashboard (deploy/grafana) run by a real Prometheus that scrapes a real collector
/// and evaluates the shipped rule files (deploy/prometheus): traffic makes every catalog metric appear, then each query
/// must parse, use only metric names Prometheus holds (or the rule files make), and return data.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed partial class DashboardQueriesPrometheusTests : IAsyncLifetime
{
    /// <summary>Names a query may use without Prometheus holding them.</summary>
    private static readonly HashSet<string> Exempt = new(StringComparer.Ordinal)
    {
        // Made by Prometheus from the loaded rule files while an alert is pending or firing: none fires within this test
        // (every rule's `for` is at least 2 minutes); the rule files being loaded is asserted.
        "ALERTS",
    };

    private static readonly string[] PromQlWords =
        ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan"];

    private readonly JudgeStubServer _judge = new();
    private readonly SqliteTestStore _store = new();
    private int _verdicts;

    public async Task InitializeAsync()
    {
        // Every third verdict is a hallucinating, low-quality one; the others are good.
        _judge.Handler = _ => JudgeStubReply.Content(Interlocked.Increment(ref _verdicts) % 3 == 0
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
    public async Task DashboardQueries_RealPrometheusScrapingACollector_ParseUseKnownMetricsAndReturnData()
    {
        var clock = Stopwatch.StartNew();
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "grafana", "dashboards", "vigil-llm.json")))!;
        Assert.Equal(GrafanaDashboardFile.Write(), dashboard.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }).ReplaceLineEndings("\n") + "\n");
        var ruleFiles = Directory.GetFiles(Path.Combine(RepositoryRoot(), "deploy", "prometheus"), "*.yml")
            .Where(file => File.ReadAllText(file).Contains("groups:", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(ruleFiles);

        await using var collector = await CollectorHost.StartAsync(_store, settings: new Dictionary<string, string?>
        {
            ["Vigil:Server:JudgeEndpoint"] = _judge.BaseUrl.ToString(),
            ["Vigil:Server:JudgeModel"] = "judge-model",
            ["Vigil:OnlineEvaluation:SampleRate"] = "1",
            ["Vigil:Judge:MaxRetries"] = "0",
            ["Vigil:EmbeddingDrift:ReferenceSize"] = "20",
            ["Vigil:EmbeddingDrift:CurrentSize"] = "20",
            ["Vigil:EmbeddingDrift:Interval"] = "00:00:00.200",
        });
        await using var prometheus = await PrometheusProcess.StartAsync(collector.Address, ruleFiles, alertmanager: null, TimeSpan.FromSeconds(1));
        await WaitUntilAsync(async () => (await prometheus.QueryAsync("up{job=\"vigil\"} == 1"))["data"]!["result"]!.AsArray().Count == 1, "the first scrape");

        // Traffic while Prometheus scrapes, so every rate over the last minute is above zero.
        var embeddings = new EmbeddingStream(seed: 13);
        for (var round = 0; round < 4; round++)
        {
            await PostRoundAsync(collector.Client, round, embeddings);
            await Task.Delay(1100);
        }

        var metricNames = await WaitForCatalogAsync(collector.Client);
        await WaitUntilAsync(async () => (await prometheus.MetricNamesAsync()).IsSupersetOf(metricNames), "Prometheus to hold every metric the collector exposes");
        await Task.Delay(2500); // two more scrapes and rule evaluations
        var rules = JsonNode.Parse(await prometheus.Client.GetStringAsync(new Uri("api/v1/rules", UriKind.Relative)))!;
        Assert.True(rules["data"]!["groups"]!.AsArray().Count > 0, "the rule files were not loaded");
        var held = await prometheus.MetricNamesAsync();

        var failures = new List<string>();
        var queries = 0;
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            foreach (var target in panel!["targets"]!.AsArray())
            {
                queries++;
                var expr = target!["expr"]!.GetValue<string>();
                var title = panel["title"]!.GetValue<string>();
                var query = Substitute(expr);
                var answer = await prometheus.QueryAsync(query);
                if (answer["status"]!.GetValue<string>() != "success")
                {
                    failures.Add($"{title}: {answer["errorType"]}: {answer["error"]} in {query}");
                    continue;
                }

                var names = MetricNames(query);
                Assert.NotEmpty(names);
                var unknown = names.Where(name => !held.Contains(name) && !Exempt.Contains(name)).ToList();
                if (unknown.Count > 0)
                {
                    failures.Add($"{title}: unknown metric(s) {string.Join(", ", unknown)} in {query}");
                    continue;
                }

                if (!names.Any(Exempt.Contains) && answer["data"]!["result"]!.AsArray().Count == 0)
                {
                    failures.Add($"{title}: no data from {query}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(DashboardPanels.All.Sum(panel => panel.Targets.Count), queries);

        // Idle now: over the last 3 seconds (three scrapes) the counters stand still, so an unguarded ratio or quantile would be NaN.
        await Task.Delay(1500);
        foreach (var expr in dashboard["panels"]!.AsArray().SelectMany(panel => panel!["targets"]!.AsArray().Select(target => target!["expr"]!.GetValue<string>())))
        {
            var idle = expr.Replace("$__rate_interval", "3s", StringComparison.Ordinal).Replace("$__range", "3s", StringComparison.Ordinal);
            var answer = await prometheus.QueryAsync(idle);
            Assert.Equal("success", answer["status"]!.GetValue<string>());
            Assert.False(answer["data"]!["result"]!.AsArray().Any(sample => sample!["value"]![1]!.GetValue<string>() is "NaN" or "+Inf" or "-Inf"),
                $"NaN or Inf from an idle system: {idle} gave {answer["data"]!["result"]!.ToJsonString()}");
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("sum(rate(llm_requests_total{status=\"success\"}[1m])) / (sum(rate(llm_requests_total[1m])) > 0)", "llm_requests_total")]
    [InlineData("histogram_quantile(0.5, sum by (le) (rate(a_bucket[1m]))) and on() (sum(rate(a_count[1m])) > 0)", "a_bucket,a_count")]
    [InlineData("(sum(rate(x_total[1m])) or vector(0)) / ((sum(rate(y_total{t=~\"a|b\"}[1m])) or vector(0)) > 0) * 100", "x_total,y_total")]
    [InlineData("ALERTS{alertstate=\"firing\"}", "ALERTS")]
    [InlineData("clamp_min(1 - max without (le) (z) / 0.005, 0)", "z")]
    public void MetricNames_Expression_AreTheSelectorsNames(string expr, string expected)
    {
        Assert.Equal(expected.Split(','), MetricNames(expr));
    }

    /// <summary>Grafana's variables as Grafana would fill them for a 5-minute view scraped every second.</summary>
    private static string Substitute(string expr) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__range", "5m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("${datasource}", "prometheus", StringComparison.Ordinal);

    /// <summary>The metric names a query selects: identifiers outside label matchers and grouping lists that are not functions, keywords or numbers.</summary>
    private static List<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(Matchers().Replace(expr, " "), " ");
        return Identifier().Matches(bare)
            .Where(match => !PromQlWords.Contains(match.Groups[1].Value, StringComparer.OrdinalIgnoreCase) && !IsFunctionCall(bare, match))
            .Select(match => match.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsFunctionCall(string text, Match match)
    {
        var next = match.Index + match.Length;
        while (next < text.Length && char.IsWhiteSpace(text[next]))
        {
            next++;
        }

        return next < text.Length && text[next] == '(';
    }

    private static async Task PostRoundAsync(HttpClient client, int round, EmbeddingStream embeddings)
    {
        var records = Traffic.Generate(seed: 100 + round, count: 60).Records.Select(record => (JsonObject)record.DeepClone()).ToList();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            record["timestamp"] = TestRecords.Rfc3339(DateTimeOffset.UtcNow.AddSeconds(-1));
            record["cached_tokens"] = 20;
            record["embedding"] = new JsonArray([.. embeddings.Base().Select(value => JsonValue.Create(value))]);
            if (i % 6 == 0 && record["status"]!.GetValue<string>() == "success")
            {
                record["query"] = "How do I reset my password?";
                record["response"] = "Open Settings, choose Security, then Reset password.";
            }

            if (i % 10 == 0)
            {
                record["cache"] = i % 20 == 0 ? "hit" : "miss";
                record["cache_type"] = "exact";
            }
        }

        await client.PostInteractionsAsync(records);
        var traceIds = records.Select(record => record["trace_id"]!.GetValue<string>()).ToList();
        await client.PostFeedbackAsync(
        [
            TestRecords.Feedback(traceIds[0], "thumbs", 1),
            TestRecords.Feedback(traceIds[1], "thumbs", 0),
            TestRecords.Feedback(traceIds[2], "rating", 4),
            TestRecords.Feedback(traceIds[3], "csat", 5),
            TestRecords.Feedback(traceIds[4], "nps", 10),
            TestRecords.Feedback(traceIds[5], "nps", 7),
            TestRecords.Feedback(traceIds[6], "nps", 3),
            TestRecords.Feedback(traceIds[7], "text", null, "Clear answer, thanks."),
        ]);
    }

    /// <summary>Waits until the collector exposes every catalog metric the dashboard reads; returns the names it exposes.</summary>
    private static async Task<IReadOnlySet<string>> WaitForCatalogAsync(HttpClient client)
    {
        string[] expected =
        [
            "llm_requests_total", "llm_errors_total", "llm_request_duration_seconds_bucket", "llm_time_to_first_token_seconds_bucket",
            "llm_tokens_total", "llm_cost_dollars_total", "llm_cost_per_interaction_dollars_count", "llm_quality_score_bucket",
            "llm_hallucination_detected_total", "user_feedback_total", "user_satisfaction_score_bucket", "llm_drift_score",
            "embedding_drift_distance", "llm_cache_hits_total", "llm_cache_misses_total", "vigil_judge_calls_total",
        ];
        HashSet<string> names = [];
        await WaitUntilAsync(async () =>
        {
            var samples = PrometheusSample.ParseAll(await client.GetStringAsync(new Uri("metrics", UriKind.Relative)));
            names = samples.Select(sample => sample.Name).ToHashSet(StringComparer.Ordinal);
            return expected.All(names.Contains)
                && samples.Any(s => s.Name == "llm_errors_total" && s.Has(("error_type", "low_quality")))
                && samples.Any(s => s.Name == "llm_drift_score" && s.Has(("drift_type", "embedding")));
        }, () => "the collector to expose the catalog; missing: " + string.Join(", ", expected.Where(name => !names.Contains(name))));
        return names;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => WaitUntilAsync(condition, () => what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for " + what());
            await Task.Delay(200);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Vigil.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex Identifier();
}
