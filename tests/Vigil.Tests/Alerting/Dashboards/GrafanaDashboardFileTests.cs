using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vigil.Alerting;
using Vigil.Alerting.Dashboards;

namespace Vigil.Tests.Alerting.Dashboards;

public sealed partial class GrafanaDashboardFileTests
{
    private static readonly JsonObject Dashboard = JsonNode.Parse(GrafanaDashboardFile.Write())!.AsObject();

    private static IEnumerable<JsonObject> Panels => Dashboard["panels"]!.AsArray().Select(panel => panel!.AsObject());

    private static IEnumerable<(string Panel, string Expr)> Expressions =>
        Panels.SelectMany(panel => panel["targets"]!.AsArray().Select(target => (panel["title"]!.GetValue<string>(), target!["expr"]!.GetValue<string>())));

    public static TheoryData<string> Titles => [.. DashboardPanels.All.Select(panel => panel.Title)];

    [Fact]
    public void Write_Dashboard_HasAStableUidACurrentSchemaAndADatasourceVariable()
    {
        Assert.Equal("vigil-llm", Dashboard["uid"]!.GetValue<string>());
        Assert.True(Dashboard["schemaVersion"]!.GetValue<int>() >= 39);
        var variable = Assert.Single(Dashboard["templating"]!["list"]!.AsArray())!;
        Assert.Equal("datasource", variable["name"]!.GetValue<string>());
        Assert.Equal("datasource", variable["type"]!.GetValue<string>());
        Assert.Equal("prometheus", variable["query"]!.GetValue<string>());
        Assert.DoesNotContain("DS_PROMETHEUS", GrafanaDashboardFile.Write(), StringComparison.Ordinal);
        Assert.Null(Dashboard["__inputs"]);
    }

    [Fact]
    public void Write_Panels_HoldTheSeedsEightAndTheFiveAdded()
    {
        var expressions = string.Join("\n", Expressions.Select(e => e.Expr));
        var types = Panels.Select(panel => panel["type"]!.GetValue<string>()).ToList();

        Assert.Equal(13, types.Count);
        // The seed's eight: success rate, latency percentiles, cost per hour, satisfaction, drift, hallucinations, error categories, cache hits.
        foreach (var metric in (string[])["llm_requests_total{status=\"success\"}", "llm_request_duration_seconds_bucket", "llm_cost_dollars_total",
            "user_feedback_total{feedback_type=\"thumbs_up\"}", "llm_drift_score", "llm_hallucination_detected_total", "llm_errors_total", "llm_cache_hits_total",
            "llm_time_to_first_token_seconds_bucket", "llm_cost_per_interaction_dollars_sum", "llm_degradation_mode", "ALERTS{alertstate=\"firing\"}"])
        {
            Assert.Contains(metric, expressions, StringComparison.Ordinal);
        }

        Assert.Contains("/ 0.005", expressions, StringComparison.Ordinal); // the 99.5 % SLO's error budget
        Assert.Contains("table", types);
        Assert.Contains("piechart", types);
    }

    [Theory]
    [MemberData(nameof(Titles))]
    public void Write_EveryPanel_HasAUnitTheDatasourceVariableAndAGridPosition(string title)
    {
        var panel = Panels.Single(p => p["title"]!.GetValue<string>() == title);

        Assert.False(string.IsNullOrEmpty(panel["fieldConfig"]!["defaults"]!["unit"]?.GetValue<string>()), $"{title}: no unit");
        AssertDatasourceVariable(panel["datasource"]);
        Assert.NotEmpty(panel["targets"]!.AsArray());
        foreach (var target in panel["targets"]!.AsArray())
        {
            AssertDatasourceVariable(target!["datasource"]);
            Assert.False(string.IsNullOrWhiteSpace(target["refId"]!.GetValue<string>()));
        }

        var grid = panel["gridPos"]!;
        Assert.InRange(grid["w"]!.GetValue<int>(), 1, 24);
        Assert.InRange(grid["h"]!.GetValue<int>(), 1, 40);
        Assert.InRange(grid["x"]!.GetValue<int>() + grid["w"]!.GetValue<int>(), 1, 24);
        Assert.True(grid["y"]!.GetValue<int>() >= 0);
    }

    [Fact]
    public void Write_Panels_HaveUniqueIdsAndDoNotOverlap()
    {
        var ids = Panels.Select(panel => panel["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var cells = new HashSet<(int, int)>();
        foreach (var panel in Panels)
        {
            var grid = panel["gridPos"]!;
            for (var x = grid["x"]!.GetValue<int>(); x < grid["x"]!.GetValue<int>() + grid["w"]!.GetValue<int>(); x++)
            {
                for (var y = grid["y"]!.GetValue<int>(); y < grid["y"]!.GetValue<int>() + grid["h"]!.GetValue<int>(); y++)
                {
                    Assert.True(cells.Add((x, y)), $"{panel["title"]} overlaps another panel at ({x}, {y})");
                }
            }
        }
    }

    [Fact]
    public void Write_EveryRangeSelector_IsGrafanasRateIntervalOrRange()
    {
        foreach (var (panel, expr) in Expressions)
        {
            foreach (Match selector in RangeSelector().Matches(expr))
            {
                Assert.True(selector.Groups[1].Value is "$__rate_interval" or "$__range", $"{panel}: a fixed window {selector.Value} in {expr}");
            }

            foreach (Match call in RateCall().Matches(expr))
            {
                Assert.True(call.Groups[2].Value == "$__rate_interval", $"{panel}: rate() over {call.Groups[2].Value} in {expr}");
            }
        }

        Assert.Contains(Expressions, e => e.Expr.Contains("[$__rate_interval]", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_EveryDivision_IsGuardedAgainstAnIdleSystem()
    {
        foreach (var (panel, expr) in Expressions.Where(e => e.Expr.Contains(" / ", StringComparison.Ordinal)))
        {
            var divisor = expr[(expr.IndexOf(" / ", StringComparison.Ordinal) + 3)..].TrimStart();
            Assert.True(divisor.StartsWith('(') && (divisor.Contains("> 0)", StringComparison.Ordinal) || divisor.StartsWith("0.", StringComparison.Ordinal)),
                $"{panel}: unguarded division in {expr}");
        }

        foreach (var (panel, expr) in Expressions.Where(e => e.Expr.StartsWith("histogram_quantile", StringComparison.Ordinal)))
        {
            Assert.Contains("and on() (sum(rate(", expr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Write_DegradationMode_MapsEveryDepthToItsName()
    {
        var panel = Panels.Single(p => p["targets"]![0]!["expr"]!.GetValue<string>().Contains("llm_degradation_mode", StringComparison.Ordinal));
        var options = panel["fieldConfig"]!["defaults"]!["mappings"]![0]!["options"]!;

        Assert.Equal(
            ["normal", "cached_only", "fallback_model", "static_response", "disabled"],
            Enumerable.Range(0, 5).Select(depth => options[depth.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public void Write_Twice_GivesTheSameText()
    {
        Assert.Equal(GrafanaDashboardFile.Write(), GrafanaDashboardFile.Write());
        Assert.EndsWith("}\n", GrafanaDashboardFile.Write(), StringComparison.Ordinal);
        Assert.DoesNotContain("\r", GrafanaDashboardFile.Write(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ShippedFiles_IncludeTheDashboardAndItsProvisioning()
    {
        var files = ShippedFiles.Generate().ToDictionary(file => file.Key, file => file.Value);

        Assert.Equal(GrafanaDashboardFile.Write(), files["grafana/dashboards/vigil-llm.json"]);
        var provider = files["grafana/provisioning/dashboards/vigil.yml"];
        Assert.Contains("type: file", provider, StringComparison.Ordinal);
        Assert.Contains("path: " + GrafanaProvisioningFiles.DashboardsPath, provider, StringComparison.Ordinal);
        var datasource = files["grafana/provisioning/datasources/prometheus.yml"];
        Assert.Contains("type: prometheus", datasource, StringComparison.Ordinal);
    }

    private static void AssertDatasourceVariable(JsonNode? datasource)
    {
        Assert.NotNull(datasource);
        Assert.Equal("prometheus", datasource["type"]!.GetValue<string>());
        Assert.Equal("${datasource}", datasource["uid"]!.GetValue<string>());
    }

    [GeneratedRegex(@"\[([^\]:]+)\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\b(rate|irate)\([^\[]*\[([^\]]+)\]")]
    private static partial Regex RateCall();
}
