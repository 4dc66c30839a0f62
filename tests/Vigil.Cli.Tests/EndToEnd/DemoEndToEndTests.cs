using System.Globalization;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// <c>vigil demo</c> end to end with the real tools (issue #14): one five-minute run (<see cref="DemoRunFixture"/>)
/// scraped by Prometheus with the shipped rules, alerting through Alertmanager to Vigil and to a capture webhook. Every
/// query of the shipped dashboard and of the seed returns data, unmodified; the outage's alert goes pending → firing →
/// resolved in Prometheus, arrives through Alertmanager, and Vigil's own engine fires it too; the demo ends well.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class DemoEndToEndTests(DemoRunFixture run, ITestOutputHelper output) : IClassFixture<DemoRunFixture>
{
    /// <summary>
    /// The health report (<c>vigil report</c>'s table) with the seed's get_health_report in it: satisfaction,
    /// hallucination, drift and the incident mode.
    /// </summary>
    private static readonly string[] HealthReportWords = ["Vigil health report", "satisfaction:", "hallucination", "drift", "incident mode:"];

    [Fact]
    public void DashboardPage_InChromiumWhileTheAlertFires_ShowsLiveFiguresAndTheAlertWithoutErrors()
    {
        Assert.True(run.PageSighting is not null, $"the page was not read: {run.PageCheckError ?? "the engine never fired the alert"}{Environment.NewLine}{run.Summary()}");
        var page = run.PageSighting;
        output.WriteLine($"screenshot: {page.Screenshot} ({(page.At - run.StartedAt).TotalSeconds:0}s into the demo)");

        foreach (var (name, text) in page.Figures)
        {
            Assert.False(string.IsNullOrWhiteSpace(text) || text == "\u2014", $"{name} shows '{text}' during the demo");
        }

        Assert.Contains("firing", page.AlertRows, StringComparison.Ordinal);
        Assert.Contains("critical", page.AlertRows, StringComparison.Ordinal);
        Assert.Equal("fallback_model", page.Figures["mode"]); // the responder's fallback, while the alert fires
        Assert.True(page.Errors.Count == 0, "errors in the page: " + string.Join(Environment.NewLine, page.Errors));
        Assert.True(page.FailedRequests.Count == 0, "failed requests: " + string.Join(Environment.NewLine, page.FailedRequests));
        Assert.True(page.ForeignRequests.Count == 0, "requests to other hosts: " + string.Join(", ", page.ForeignRequests));
        Assert.True(File.Exists(page.Screenshot), page.Screenshot);
    }

    [Fact]
    public async Task ShippedDashboardQueries_DuringTheDemo_EachReturnsData()
    {
        var queries = ShippedDashboardQueries.All();
        Assert.NotEmpty(queries);

        await AssertEachReturnsDataAsync(queries);
    }

    [Fact]
    public async Task SeedQueries_DuringTheDemo_EachReturnsDataUnmodified()
    {
        await AssertEachReturnsDataAsync(SeedPromQl.Queries);
    }

    [Fact]
    public async Task SeedAlertExpressions_RealPrometheus_Parse()
    {
        var failures = new List<string>();
        foreach (var query in SeedPromQl.AlertExpressions)
        {
            var answer = await run.Prometheus.QueryAsync(query.Expr, run.At(DemoRunFixture.DemoDuration.TotalSeconds * 0.9));
            if (answer["status"]?.GetValue<string>() != "success")
            {
                failures.Add($"{query.Where}: {answer["errorType"]}: {answer["error"]} in {query.Expr}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task SeedSuccessRateAlertExpression_WhileTheShippedRuleFires_ReturnsData()
    {
        var firing = run.PrometheusSightings.Where(s => s.State == "firing").ToList();
        Assert.True(firing.Count > 0, "the shipped rule never fired: " + run.Summary());
        var seed = SeedPromQl.AlertExpressions.Single(q => q.Where == DemoRunFixture.AlertName);

        // Halfway through the firing: the shipped rule's last evaluation before it held the same condition.
        var middle = run.At((firing[0].Seconds + firing[^1].Seconds) / 2);
        var answer = await run.Prometheus.QueryAsync(seed.Expr, middle);

        Assert.Equal("success", answer["status"]?.GetValue<string>());
        var result = answer["data"]!["result"]!.AsArray();
        Assert.True(result.Count == 1, $"the seed's {seed.Where} gave {result.ToJsonString()} at {middle:O}{Environment.NewLine}{run.Summary()}");
        Assert.True(double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture) < 0.95);
    }

    [Fact]
    public void SuccessRateCritical_InPrometheus_GoesPendingThenFiringThenResolvedBeforeTheDemoEnds()
    {
        output.WriteLine(run.Summary()); // what the run saw, in the test's output whether it passes or not
        var changes = AlertSighting.Changes(run.PrometheusSightings).Select(s => s.State).ToList();
        var pending = changes.IndexOf("pending");
        var firing = pending < 0 ? -1 : changes.IndexOf("firing", pending);
        var resolved = firing < 0 ? -1 : changes.IndexOf("inactive", firing);

        Assert.True(pending >= 0 && firing > pending && resolved > firing, "states seen in Prometheus: " + run.Summary());
        var resolvedAt = AlertSighting.Changes(run.PrometheusSightings)[resolved].Seconds;
        Assert.True(run.ExitedAt is null || run.At(resolvedAt) <= run.ExitedAt,
            $"it resolved only at {resolvedAt:0}s, after the demo ended: the outage must end early enough for the 5-minute success ratio to climb back above 0.95 within the run. {run.Summary()}");
    }

    [Fact]
    public void SuccessRateCritical_ThroughAlertmanager_CaptureWebhookGetsFiringThenResolved()
    {
        var statuses = run.Notifications
            .SelectMany(n => n.Alerts.Where(a => a.Name == DemoRunFixture.AlertName).Select(a => (n.ReceivedAt, a.Status, a.Labels)))
            .ToList();
        var firing = statuses.FindIndex(s => s.Status == "firing");
        var resolved = firing < 0 ? -1 : statuses.FindIndex(firing, s => s.Status == "resolved");

        Assert.True(firing >= 0 && resolved > firing, "what the capture webhook received: " + run.Summary());
        Assert.Equal("critical", statuses[firing].Labels["severity"]?.GetValue<string>());
    }

    [Fact]
    public void SuccessRateCritical_ThroughAlertmanager_ShowsInVigilAlerts()
    {
        Assert.True(run.VigilSightings.Any(s => s.Source == "alertmanager" && s.State == "firing"),
            $"Vigil's GET /v1/alerts never showed {DemoRunFixture.AlertName} received from Alertmanager: {run.Summary()}");
    }

    [Fact]
    public void SuccessRateCritical_VigilsOwnEngine_FiresIt()
    {
        Assert.True(run.VigilSightings.Any(s => s.Source == "vigil" && s.State == "firing"),
            $"Vigil's GET /v1/alerts never showed {DemoRunFixture.AlertName} firing from its own engine: {run.Summary()}");
    }

    [Fact]
    public void Demo_AtTheEnd_ExitsZeroAndPrintsTheHealthReport()
    {
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none (killed)"}{Environment.NewLine}{run.Summary()}{Environment.NewLine}stderr:{Environment.NewLine}{Tail(run.Stderr)}");
        var missing = HealthReportWords.Where(word => !run.Stdout.Contains(word, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(missing.Count == 0, $"the health report on stdout lacks {string.Join(", ", missing)}:{Environment.NewLine}{Tail(run.Stdout)}");
    }

    private async Task AssertEachReturnsDataAsync(IReadOnlyList<NamedQuery> queries)
    {
        // A query passes with data (a value not NaN or infinite) at one of the instants.
        var instants = run.DataInstants();
        var failures = new List<string>();
        foreach (var query in queries)
        {
            var seen = new List<string>();
            var hasData = false;
            foreach (var seconds in instants)
            {
                var answer = await run.Prometheus.QueryAsync(query.Expr, run.At(seconds));
                if (answer["status"]?.GetValue<string>() != "success")
                {
                    seen.Add($"at {seconds:0}s {answer["errorType"]}: {answer["error"]}");
                    continue;
                }

                var values = (answer["data"]?["result"] as JsonArray ?? []).Select(Value).ToList();
                if (values.Any(v => v is not ("NaN" or "+Inf" or "-Inf")))
                {
                    hasData = true;
                    break;
                }

                seen.Add($"at {seconds:0}s [{string.Join(", ", values)}]");
            }

            if (!hasData)
            {
                failures.Add($"{query.Where}: no data from {query.Expr} ({string.Join("; ", seen)})");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {queries.Count} queries gave no data:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}{Environment.NewLine}{run.Summary()}");
    }

    private static string Value(JsonNode? sample) =>
        sample?["value"]?[1]?.GetValue<string>() ?? sample?["values"]?.ToJsonString() ?? "?";

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
