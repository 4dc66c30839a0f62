using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vigil.Alerting;
using Vigil.Alerting.Engine;
using Vigil.Metrics;
using Vigil.Tests.Metrics;

namespace Vigil.Tests.Alerting.Engine;

/// <summary>
/// The issue's agreement test: the same synthetic counters, at 1-minute steps, go to Vigil's engine (through its
/// history, on a fake clock) and to the real <c>promtool test rules</c> with the shipped rule files; the alerts the
/// engine says are firing at each check time are written as promtool's <c>exp_alerts</c> (labels and rendered
/// annotations), so promtool passes only if both agree on every alert at every check.
/// </summary>
public sealed class AlertEngineAgreementTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-agreement-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>What happens in one step (increments; gauges are values). Step 0 has none: every counter starts at 0.</summary>
    private sealed record Minute(
        double Success = 0, double Errors = 0, double RateLimited = 0, double LatencySeconds = 0.5, double TtftSeconds = 0.2,
        double Cost = 0, double Verdicts = 0, double Hallucinations = 0, double ThumbsUp = 0, double ThumbsDown = 0,
        double? QualityDrift = null, double? EmbeddingDistance = null, double? Budget = null);

    /// <summary>A scenario of <paramref name="Minutes"/>, sampled and evaluated every <paramref name="Step"/> minutes; checks in minutes.</summary>
    private sealed record Scenario(string Name, int Minutes, int Step, Func<int, Minute> At, int[] Checks);

    // Availability, latency, rate limits, TTFT and hallucinations: healthy, bad from 61m to 180m, healthy again.
    private static readonly Scenario FastSignals = new("fast signals", 600, 1, m =>
    {
        var bad = m is > 60 and <= 180;
        return bad
            ? new Minute(Success: 800, Errors: 200, RateLimited: 900, LatencySeconds: 20, TtftSeconds: 3, Verdicts: 10, Hallucinations: 3)
            : new Minute(Success: 999, Errors: 1, LatencySeconds: 0.4, TtftSeconds: 0.3, Verdicts: 10, Hallucinations: 0);
    }, [50, 170, 300, 590]);

    // Cost, satisfaction and drift, every 5 minutes: normal for 12 hours, then a cost spike, unhappy users and drifting
    // gauges; the drift ends at 24 hours, the budget is raised at 27 hours and users are happy again from then.
    private static readonly Scenario SlowSignals = new("slow signals", 44 * 60, 5, m =>
    {
        var spike = m > 12 * 60;
        var happyAgain = m > 27 * 60;
        return new Minute(
            Cost: spike ? 30 : 5,
            ThumbsUp: happyAgain ? 50 : spike ? 25 : 45, ThumbsDown: happyAgain ? 0 : spike ? 25 : 5,
            QualityDrift: m <= 12 * 60 ? 1.0 : m <= 24 * 60 ? 3.0 : 0.5,
            EmbeddingDistance: m <= 630 ? 0.01 : m <= 24 * 60 ? 0.1 : 0.02,
            Budget: m <= 27 * 60 ? 200_000 : 1_000_000);
    }, [10 * 60, 14 * 60, (26 * 60) + 30, 44 * 60]);

    // The engine reads the recorded ratios of the same evaluation time: the recording group first (promtool's default
    // order is random), then the alert groups.
    private static readonly string[] GroupOrder =
        [AlertRuleCatalog.SloRecordingGroup, .. AlertRuleCatalog.Rules.Select(r => r.Group).Distinct()];

    [Fact]
    public void Evaluate_SameCountersAsPromtool_AgreesOnEveryAlertAtEveryCheck()
    {
        var scenarios = new[] { FastSignals, SlowSignals };
        var testFiles = new List<string>();
        var firedThenResolved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scenario in scenarios)
        {
            var yaml = new StringBuilder()
                .Append("rule_files:\n  - llm_alerts.yml\n  - llm_slo.yml\n\nevaluation_interval: ").Append(scenario.Step).Append("m\n\n")
                .Append("group_eval_order:\n")
                .AppendJoin(string.Empty, GroupOrder.Select(g => "  - " + g + "\n"))
                .Append("\ntests:\n");
            var firing = Run(scenario, yaml);
            testFiles.Add(Path.Combine(_dir, scenario.Name.Replace(' ', '_') + "_test.yml"));
            File.WriteAllText(testFiles[^1], yaml.ToString());
            foreach (var rule in AlertRuleCatalog.Rules)
            {
                var states = scenario.Checks.Select(c => firing[c].Any(a => a.Rule.Name == rule.Name)).ToList();
                var fired = states.IndexOf(true);
                if (fired >= 0 && states.Skip(fired + 1).Contains(false))
                {
                    firedThenResolved.Add(rule.Name);
                }
            }
        }

        // The scenarios make every alert fire at a check and be resolved at a later one.
        Assert.Equal(AlertRuleCatalog.Rules.Select(r => r.Name).Order(), firedThenResolved.Order());

        foreach (var (path, text) in ShippedFiles.Generate().Where(f => f.Key.StartsWith("prometheus/", StringComparison.Ordinal)))
        {
            File.WriteAllText(Path.Combine(_dir, Path.GetFileName(path)), text);
        }

        var (exitCode, output) = Promtool.Run(Promtool.Find(), "test rules " + string.Join(' ', testFiles));

        Assert.True(exitCode == 0, $"promtool and Vigil's engine disagree ({exitCode}):\n{Truncate(output)}");
    }

    // Feeds the engine minute by minute, writes the promtool test of the scenario, and returns the firing alerts per check.
    private static Dictionary<int, List<ActiveAlert>> Run(Scenario scenario, StringBuilder yaml)
    {
        var time = new FakeTimeProvider(Epoch);
        var history = new SignalHistory(time);
        var gauges = new ScenarioGauges();
        var engine = new AlertEngine(history, [gauges], time);
        var steps = scenario.Minutes / scenario.Step;
        var minutes = Enumerable.Range(0, steps + 1).Select(i => i == 0 ? new Minute() with
        {
            QualityDrift = scenario.At(0).QualityDrift, EmbeddingDistance = scenario.At(0).EmbeddingDistance, Budget = scenario.At(0).Budget,
        } : scenario.At(i * scenario.Step)).ToList();
        var series = Series(minutes);
        var firing = new Dictionary<int, List<ActiveAlert>>();
        for (var i = 0; i <= steps; i++)
        {
            var m = i * scenario.Step;
            time.SetUtcNow(Epoch.AddMinutes(m));
            var at = time.GetUtcNow();
            foreach (var s in series)
            {
                foreach (var counter in s.Counters)
                {
                    history.Add(counter, at, s.Increments[i]);
                }
            }

            gauges.Set(minutes[i]);
            engine.Evaluate();
            if (scenario.Checks.Contains(m))
            {
                firing[m] = [.. engine.Alerts.Where(a => a.State == AlertState.Firing)];
            }
        }

        yaml.Append("  - name: ").Append(YamlText.Quoted(scenario.Name)).Append('\n')
            .Append("    interval: ").Append(scenario.Step).Append("m\n    input_series:\n");
        foreach (var s in series)
        {
            var cumulative = 0.0;
            var values = s.Increments.Select(i => (cumulative += i).ToString("R", CultureInfo.InvariantCulture));
            yaml.Append("      - series: '").Append(s.Selector).Append("'\n")
                .Append("        values: '").AppendJoin(' ', values).Append("'\n");
        }

        foreach (var (name, value) in GaugeSeries(minutes))
        {
            yaml.Append("      - series: '").Append(name).Append("'\n")
                .Append("        values: '").AppendJoin(' ', value.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append("'\n");
        }

        yaml.Append("    alert_rule_test:\n");
        foreach (var check in scenario.Checks)
        {
            foreach (var rule in AlertRuleCatalog.Rules)
            {
                yaml.Append("      - eval_time: ").Append(check).Append("m\n")
                    .Append("        alertname: ").Append(rule.Name).Append('\n');
                var alerts = firing[check].Where(a => a.Rule.Name == rule.Name).ToList();
                if (alerts.Count == 0)
                {
                    yaml.Append("        exp_alerts: []\n");
                    continue;
                }

                yaml.Append("        exp_alerts:\n");
                foreach (var alert in alerts)
                {
                    yaml.Append("          - exp_labels:\n");
                    foreach (var (k, v) in alert.Labels.Where(l => l.Key != "alertname").OrderBy(l => l.Key, StringComparer.Ordinal))
                    {
                        yaml.Append("              ").Append(k).Append(": ").Append(YamlText.Quoted(v)).Append('\n');
                    }

                    yaml.Append("            exp_annotations:\n");
                    foreach (var (k, v) in alert.Annotations.OrderBy(l => l.Key, StringComparer.Ordinal))
                    {
                        yaml.Append("              ").Append(k).Append(": ").Append(YamlText.Quoted(v)).Append('\n');
                    }
                }
            }
        }

        yaml.Append('\n');
        return firing;
    }

    private sealed record CounterSeries(string Selector, SignalCounter[] Counters, double[] Increments);

    // The counters as the exporter writes them (one series per label set), and the engine's columns each one adds to.
    private static List<CounterSeries> Series(List<Minute> minutes)
    {
        var list = new List<CounterSeries>();
        void Add(string selector, Func<Minute, double> increment, params SignalCounter[] counters)
        {
            var increments = minutes.Select(increment).ToArray();
            if (increments.Any(i => i != 0))
            {
                list.Add(new CounterSeries(selector, counters, increments));
            }
        }

        Add("llm_requests_total{model=\"m\",endpoint=\"e\",status=\"success\",error_type=\"none\"}", m => m.Success, AlertSignals.Requests, AlertSignals.SuccessfulRequests);
        Add("llm_requests_total{model=\"m\",endpoint=\"e\",status=\"error\",error_type=\"server_error\"}", m => m.Errors, AlertSignals.Requests);
        Add("llm_errors_total{model=\"m\",error_type=\"rate_limit\",error_code=\"429\"}", m => m.RateLimited, AlertSignals.RateLimitErrors);
        AddHistogram(AlertSignals.RequestDuration, "model=\"m\",endpoint=\"e\"", m => (m.Success + m.Errors, m.LatencySeconds));
        AddHistogram(AlertSignals.TimeToFirstToken, "model=\"m\"", m => (m.Success, m.TtftSeconds));
        Add("llm_cost_dollars_total{model=\"m\",feature=\"f\",user_tier=\"free\"}", m => m.Cost, AlertSignals.CostDollars);
        Add("vigil_judge_calls_total{outcome=\"verdict\"}", m => m.Verdicts, AlertSignals.JudgeVerdicts);
        Add("llm_hallucination_detected_total{model=\"m\",severity=\"high\"}", m => m.Hallucinations, AlertSignals.Hallucinations);
        Add("user_feedback_total{feedback_type=\"thumbs_up\",feature=\"f\"}", m => m.ThumbsUp, AlertSignals.ThumbsUp);
        Add("user_feedback_total{feedback_type=\"thumbs_down\",feature=\"f\"}", m => m.ThumbsDown, AlertSignals.ThumbsDown);
        return list;

        void AddHistogram(SignalHistogram histogram, string labels, Func<Minute, (double Count, double Value)> observed)
        {
            for (var i = 0; i < histogram.Bounds.Count; i++)
            {
                var bound = histogram.Bounds[i];
                Add($"{histogram.Name}_bucket{{{labels},le=\"{bound.ToString(CultureInfo.InvariantCulture)}\"}}",
                    m => observed(m).Value <= bound ? observed(m).Count : 0, histogram.Buckets[i]);
            }

            Add($"{histogram.Name}_bucket{{{labels},le=\"+Inf\"}}", m => observed(m).Count);
            Add($"{histogram.Name}_count{{{labels}}}", m => observed(m).Count, histogram.Count);
        }
    }

    private static IEnumerable<(string Name, double[] Values)> GaugeSeries(List<Minute> minutes)
    {
        if (minutes.All(m => m.QualityDrift is not null))
        {
            yield return ("llm_drift_score{model=\"default\",drift_type=\"quality_overall\"}", [.. minutes.Select(m => m.QualityDrift!.Value)]);
        }

        if (minutes.All(m => m.EmbeddingDistance is not null))
        {
            yield return ("embedding_drift_distance{model=\"default\",metric=\"cosine\"}", [.. minutes.Select(m => m.EmbeddingDistance!.Value)]);
        }

        if (minutes.All(m => m.Budget is not null))
        {
            yield return ("vigil_budget_monthly_dollars", [.. minutes.Select(m => m.Budget!.Value)]);
        }
    }

    private sealed class ScenarioGauges : IAlertGaugeSource
    {
        private Minute _now = new();

        public void Set(Minute minute) => _now = minute;

        public IEnumerable<GaugeSample> Read()
        {
            if (_now.QualityDrift is { } drift)
            {
                yield return new GaugeSample(MetricNames.DriftScore, Labels(("model", "default"), ("drift_type", "quality_overall")), drift);
            }

            if (_now.EmbeddingDistance is { } distance)
            {
                yield return new GaugeSample(MetricNames.EmbeddingDriftDistance, Labels(("model", "default"), ("metric", "cosine")), distance);
            }

            if (_now.Budget is { } budget)
            {
                yield return new GaugeSample(MetricNames.BudgetMonthly, AlertSample.NoLabels, budget);
            }
        }

        private static Dictionary<string, string> Labels(params (string Key, string Value)[] pairs) =>
            pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static string Truncate(string output) => output.Length <= 20_000 ? output : output[..20_000] + "\n…";
}
