using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

using Vigil.Server.Tests.Infrastructure.Tools;
using Vigil.Tests.Alerting.Notifications;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// The end-to-end test's tools on their own, in seconds rather than the demo's five minutes: <c>vigil serve</c> scraped
/// by the real Prometheus (the shipped rule files and a probe rule of the test's own), alerting the real Alertmanager,
/// which notifies Vigil's <c>POST /v1/alertmanager</c> and the capture webhook; and every query of the seed and the
/// shipped dashboard parsed by Prometheus.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class EndToEndToolsTests
{
    private const string Probe = "EndToEndProbe";

    [Fact]
    public async Task AlertmanagerRoute_ProbeAlertFiresThenResolves_CaptureAndVigilSeeBoth()
    {
        var directory = Directory.CreateTempSubdirectory("vigil-e2e-probe-").FullName;
        try
        {
            await using var capture = await CaptureServer.StartAsync(() => DateTimeOffset.UtcNow, "/notifications");
            await using var vigil = await VigilProcess.StartAsync("serve", [], TimeSpan.FromSeconds(60));
            await using var alertmanager = await AlertmanagerProcess.StartAsync(
            [
                new("vigil", new Uri(vigil.Address, "v1/alertmanager")),
                new("capture", capture.Url),
            ]);

            // Fires from `from` (once Prometheus has found its Alertmanager: what it sends before, it drops) and resolves by
            // itself once the clock passes `until`.
            var from = DateTimeOffset.UtcNow.AddSeconds(8).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var until = DateTimeOffset.UtcNow.AddSeconds(25).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var probeRules = Path.Combine(directory, "probe.yml");
            await File.WriteAllTextAsync(probeRules, $"""
                groups:
                  - name: e2e_probe
                    rules:
                      - alert: {Probe}
                        expr: (vector(time()) > {from}) < {until}
                        labels:
                          severity: critical
                        annotations:
                          summary: "The end-to-end test's probe"
                """);
            await using var prometheus = await PrometheusProcess.StartAsync(
                vigil.Address, [.. RepositoryPaths.PrometheusRuleFiles, probeRules], alertmanager.Address, TimeSpan.FromSeconds(1));

            var rules = await prometheus.AlertingRuleNamesAsync();
            Assert.Contains(DemoRunFixture.AlertName, rules);
            Assert.Contains(Probe, rules);
            await WaitUntilAsync(async () => (await prometheus.QueryAsync("up{job=\"vigil\"} == 1"))["data"]!["result"]!.AsArray().Count == 1,
                () => "Prometheus to scrape vigil serve: " + prometheus.Output);
            Assert.Contains(await prometheus.ActiveAlertmanagersAsync(), url => url.StartsWith(alertmanager.Address.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));

            var vigilSawIt = false;
            await WaitUntilAsync(async () =>
            {
                vigilSawIt |= (await VigilAlertsAsync(vigil)).Any(a => a["name"]?.GetValue<string>() == Probe
                    && a["state"]?.GetValue<string>() == "firing" && DemoRunFixture.SourceOf(a) == "alertmanager");
                return vigilSawIt && Statuses(capture).Contains("firing");
            }, () => $"the probe to reach Vigil ({vigilSawIt}) and the capture webhook ({string.Join(",", Statuses(capture))}): {alertmanager.Output}");

            await WaitUntilAsync(() => Task.FromResult(Statuses(capture).Contains("resolved")),
                () => $"the probe's resolve at the capture webhook ({string.Join(",", Statuses(capture))}): {alertmanager.Output}");
            Assert.Equal(["firing", "resolved"], Statuses(capture).Distinct());
            await WaitUntilAsync(async () => !(await VigilAlertsAsync(vigil)).Any(a => a["name"]?.GetValue<string>() == Probe),
                () => "Vigil to drop the resolved probe from GET /v1/alerts");
            var notification = CapturedNotification.Of(capture).First(n => n.Alerts.Any(a => a.Name == Probe));
            Assert.Equal(PrometheusProcess.ExternalLabel.Value, notification.Alerts[0].Labels[PrometheusProcess.ExternalLabel.Key]?.GetValue<string>());
        }
        finally
        {
            ToolBinary.DeleteDirectory(directory);
        }
    }

    [Fact]
    public async Task SeedAndDashboardQueries_RealPrometheus_Parse()
    {
        // Nothing listens on the scrape target: parsing needs no data.
        await using var prometheus = await PrometheusProcess.StartAsync(
            new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/"), RepositoryPaths.PrometheusRuleFiles, null, TimeSpan.FromSeconds(5));
        var queries = SeedPromQl.Queries.Concat(SeedPromQl.AlertExpressions).Concat(ShippedDashboardQueries.All()).ToList();
        var failures = new List<string>();
        foreach (var query in queries)
        {
            var answer = await prometheus.QueryAsync(query.Expr);
            if (answer["status"]?.GetValue<string>() != "success")
            {
                failures.Add($"{query.Where}: {answer["errorType"]}: {answer["error"]} in {query.Expr}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(20, SeedPromQl.Queries.Count);
        Assert.Equal(11, SeedPromQl.AlertExpressions.Count);
    }

    [Fact]
    public void ShippedDashboardQueries_Read_EveryTargetWithGrafanasVariablesFilled()
    {
        var queries = ShippedDashboardQueries.All();

        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.DoesNotContain("$", q.Expr, StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Expr.Contains("[1m]", StringComparison.Ordinal));
        var targets = RepositoryPaths.GrafanaDashboards
            .Sum(file => JsonNode.Parse(File.ReadAllText(file))!["panels"]!.AsArray().Sum(p => p!["targets"]?.AsArray().Count ?? 0));
        Assert.Equal(targets, queries.Count);
    }

    [Fact]
    public void AlertmanagerConfig_TwoWebhooks_RoutesEveryAlertToEachWithResolves()
    {
        var config = AlertmanagerProcess.Config(
        [
            new("vigil", new Uri("http://127.0.0.1:5080/v1/alertmanager")),
            new("capture", new Uri("http://127.0.0.1:5081/notifications")),
        ]);

        Assert.Equal(2, config.Split("continue: true").Length - 1);
        Assert.Equal(2, config.Split("send_resolved: true").Length - 1);
        Assert.Contains("url: 'http://127.0.0.1:5080/v1/alertmanager'", config, StringComparison.Ordinal);
        Assert.Contains("url: 'http://127.0.0.1:5081/notifications'", config, StringComparison.Ordinal);
    }

    private static List<string> Statuses(CaptureServer capture) =>
        [.. CapturedNotification.Of(capture).SelectMany(n => n.Alerts).Where(a => a.Name == Probe).Select(a => a.Status)];

    private static async Task<IReadOnlyList<JsonNode>> VigilAlertsAsync(VigilProcess vigil)
    {
        var answer = JsonNode.Parse(await vigil.Client.GetStringAsync(new Uri("v1/alerts", UriKind.Relative)));
        return [.. (answer?["alerts"] as JsonArray ?? []).OfType<JsonNode>()];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting for " + what());
            await Task.Delay(250);
        }
    }
}
