using Vigil.Alerting.Engine;
using Vigil.Metrics;

namespace Vigil.Alerting;

/// <summary>
/// The alert rules, defined once (issue #13): the seed's ten (§7) with its severities, thresholds and <c>for</c>
/// durations, and two corrections. <c>LLMHallucinationRateHigh</c> divides by the interactions the judge gave a verdict
/// on (<c>vigil_judge_calls_total{outcome="verdict"}</c>), not by every successful request: with 5 % sampling the seed's
/// ratio reads a twentieth of the true rate and never fires. <c>LLMBudgetWarning</c> compares with the configured
/// monthly budget (the gauge <c>vigil_budget_monthly_dollars</c>), not a hard-coded $5000.
/// Every division is guarded (<c>/ (… &gt; 0)</c>) so that without traffic an expression returns no series, never NaN.
/// Beside them, the SLO burn-rate rules (<see cref="SloRules"/>, <see cref="RecordingRules"/>). Each rule is said
/// twice, side by side: in PromQL for Prometheus and in C# (<see cref="AlertRule.Condition"/>) for Vigil's own engine.
/// </summary>
public static partial class AlertRuleCatalog
{
    /// <summary>The <c>team</c> label of every rule.</summary>
    public const string Team = "ai-platform";

    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    /// <summary>Every alert rule: the seed's ten, then the SLO burn-rate rules.</summary>
    public static IReadOnlyList<AlertRule> Rules => Catalog.All;

    /// <summary>The seed's ten rules, in the order of <c>prometheus/llm_alerts.yml</c> (grouped as the seed groups them).</summary>
    public static IReadOnlyList<AlertRule> SeedRules => Catalog.Seed;

    /// <summary>The SLO burn-rate alerts of <c>prometheus/llm_slo.yml</c>.</summary>
    public static IReadOnlyList<AlertRule> SloRules => Catalog.Slo;

    /// <summary>The SLO's recording rules (error ratios per window) of <c>prometheus/llm_slo.yml</c>.</summary>
    public static IReadOnlyList<RecordingRule> RecordingRules => Catalog.Recording;

    private static class Catalog
    {
        public static readonly IReadOnlyList<AlertRule> Seed = SeedCatalog();
        public static readonly IReadOnlyList<RecordingRule> Recording = SloRecordingCatalog();
        public static readonly IReadOnlyList<AlertRule> Slo = SloCatalog();
        public static readonly IReadOnlyList<AlertRule> All = [.. Seed, .. Slo];
    }

    private static AlertRule[] SeedCatalog() =>
    [
        new(
            "LLMSuccessRateCritical", "llm_availability",
            "(sum(rate(llm_requests_total{status=\"success\"}[5m])) or vector(0))\n  / (sum(rate(llm_requests_total[5m])) > 0)\n< 0.95",
            s => AlertVector.Of(s.Ratio(AlertSignals.SuccessfulRequests, AlertSignals.Requests, FiveMinutes)).Below(0.95),
            0.95, TimeSpan.FromMinutes(2), AlertSeverity.Critical,
            "LLM API success rate below 95%",
            "Success rate over the last 5 minutes: {{ $value | humanizePercentage }}, for more than 2 minutes; many users are likely affected."),
        new(
            "LLMRateLimitHigh", "llm_availability",
            "sum(rate(llm_errors_total{error_type=\"rate_limit\"}[5m])) > 10",
            s => AlertVector.Of(s.Rate(AlertSignals.RateLimitErrors, FiveMinutes)).Above(10),
            10, TimeSpan.FromMinutes(5), AlertSeverity.High,
            "LLM rate limits hit often",
            "Rate-limit errors over the last 5 minutes: {{ $value | printf \"%.2f\" }}/s. Check whether the API quota must grow or requests should be queued."),
        new(
            "LLMP99LatencyHigh", "llm_latency",
            "(\n  histogram_quantile(0.99, sum by (le) (rate(llm_request_duration_seconds_bucket[5m])))\n  and on() (sum(rate(llm_request_duration_seconds_count[5m])) > 0)\n)\n> 15",
            s => AlertVector.Of(s.Quantile(AlertSignals.RequestDuration, 0.99, FiveMinutes)).Above(15),
            15, TimeSpan.FromMinutes(5), AlertSeverity.High,
            "LLM P99 latency above 15 seconds",
            "P99 latency over the last 5 minutes: {{ $value | humanizeDuration }}. Check the model provider's status and the network."),
        new(
            "LLMTTFTHigh", "llm_latency",
            "(\n  histogram_quantile(0.95, sum by (le) (rate(llm_time_to_first_token_seconds_bucket[5m])))\n  and on() (sum(rate(llm_time_to_first_token_seconds_count[5m])) > 0)\n)\n> 2",
            s => AlertVector.Of(s.Quantile(AlertSignals.TimeToFirstToken, 0.95, FiveMinutes)).Above(2),
            2, TimeSpan.FromMinutes(10), AlertSeverity.Warning,
            "LLM time to first token P95 above 2 seconds",
            "TTFT P95 over the last 5 minutes: {{ $value | humanizeDuration }}."),
        new(
            "LLMBudgetWarning", "llm_cost",
            "sum(increase(llm_cost_dollars_total[24h])) * 30\n> on() (max(vigil_budget_monthly_dollars > 0) * 0.8)",
            s => s.GaugeMax(MetricNames.BudgetMonthly) is > 0 and var budget
                ? AlertVector.Of(s.Increase(AlertSignals.CostDollars, TimeSpan.FromHours(24)) * 30).Above(budget * 0.8)
                : AlertVector.Empty,
            0.8, TimeSpan.FromHours(1), AlertSeverity.Warning,
            "LLM monthly cost projected above 80% of the budget",
            "At the last 24 hours' rate the month would cost ${{ $value | printf \"%.2f\" }}, more than 80% of the configured monthly budget (vigil_budget_monthly_dollars)."),
        new(
            "LLMCostSpike", "llm_cost",
            "sum(increase(llm_cost_dollars_total[1h]))\n> 2 * avg_over_time(sum(increase(llm_cost_dollars_total[1h]))[7d:1h])",
            s => s.AverageIncrease(AlertSignals.CostDollars, OneHour, TimeSpan.FromDays(7), OneHour) is { } hourly
                ? AlertVector.Of(s.Increase(AlertSignals.CostDollars, OneHour)).Above(2 * hourly)
                : AlertVector.Empty,
            2, TimeSpan.FromMinutes(30), AlertSeverity.High,
            "LLM cost spiking",
            "The last hour cost ${{ $value | printf \"%.2f\" }}, more than twice the hourly average of the last 7 days. Look for unusual traffic or a cache that stopped hitting."),
        new(
            "LLMHallucinationRateHigh", "llm_quality",
            "sum(rate(llm_hallucination_detected_total[1h]))\n  / (sum(rate(vigil_judge_calls_total{outcome=\"verdict\"}[1h])) > 0)\n> 0.1",
            s => AlertVector.Of(s.Ratio(AlertSignals.Hallucinations, AlertSignals.JudgeVerdicts, OneHour)).Above(0.1),
            0.10, TimeSpan.FromMinutes(30), AlertSeverity.High,
            "LLM hallucination rate above 10%",
            "Share of judged interactions found hallucinating over the last hour: {{ $value | humanizePercentage }}. Check the model version, prompt changes and retrieval quality."),
        new(
            "LLMQualityDrift", "llm_quality",
            "llm_drift_score{drift_type=~\"quality_.*\"} > 2",
            s => s.Gauge(MetricNames.DriftScore, labels => labels.TryGetValue(MetricTags.DriftType, out var type) && type.StartsWith("quality_", StringComparison.Ordinal)).Above(2),
            2.0, TimeSpan.FromHours(1), AlertSeverity.Warning,
            "LLM output quality drifting",
            "Drift Z-score of {{ $labels.drift_type }} for {{ $labels.model }}: {{ $value | printf \"%.2f\" }} (threshold 2.0). Output quality may be falling; sample answers by hand."),
        new(
            "LLMSatisfactionLow", "llm_quality",
            "(sum(rate(user_feedback_total{feedback_type=\"thumbs_up\"}[24h])) or vector(0))\n  / (sum(rate(user_feedback_total{feedback_type=~\"thumbs_up|thumbs_down\"}[24h])) > 0)\n< 0.8",
            s => AlertVector.Of(s.Share(AlertSignals.ThumbsUp, AlertSignals.ThumbsDown, TimeSpan.FromHours(24))).Below(0.8),
            0.80, TimeSpan.FromHours(6), AlertSeverity.Warning,
            "User satisfaction below 80%",
            "Thumbs-up share over the last 24 hours: {{ $value | humanizePercentage }}. Analyse the negative feedback and look for quality problems."),
        new(
            "EmbeddingDriftDetected", "llm_drift",
            "embedding_drift_distance{metric=\"cosine\"} > 0.05",
            s => s.Gauge(MetricNames.EmbeddingDriftDistance, labels => labels.GetValueOrDefault(MetricTags.Metric) == "cosine").Above(0.05),
            0.05, TimeSpan.FromHours(2), AlertSeverity.Info,
            "Embedding drift detected",
            "Cosine drift distance for {{ $labels.model }}: {{ $value | printf \"%.3f\" }} (threshold 0.05). The input or output distribution may have changed."),
    ];
}
