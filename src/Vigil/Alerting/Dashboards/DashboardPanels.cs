namespace Vigil.Alerting.Dashboards;

/// <summary>
/// The panels of the shipped Grafana dashboard: the seed's eight (§7 step 2: success rate, latency percentiles, cost per
/// hour, satisfaction, drift, hallucination rate, error categories, cache hit rate) and five more (time to first token,
/// error budget remaining, cost per interaction, degradation mode, firing alerts).
/// </summary>
/// <remarks>
/// The seed's fixed windows (<c>[5m]</c>, <c>[1h]</c>) become Grafana's <c>$__rate_interval</c>, which follows the scrape
/// interval and the zoom; totals over the shown range use <c>$__range</c>. Every division is guarded
/// (<c>/ (… &gt; 0)</c>, an absent numerator read as <c>vector(0)</c>) and every quantile shown only while requests
/// arrive, so an idle system shows "No data", never NaN. The hallucination rate divides by the interactions the judge
/// gave a verdict on, as <c>LLMHallucinationRateHigh</c> does, not by every successful request (5 % sampling would read
/// a twentieth of the rate).
/// </remarks>
public static class DashboardPanels
{
    /// <summary>The availability SLO the error budget is taken from (the seed's 99.5 %).</summary>
    public const double AvailabilitySlo = 0.995;

    private const string RateWindow = "[$__rate_interval]";

    /// <summary>The panels, in the dashboard's order (ids are their position, from 1).</summary>
    public static IReadOnlyList<DashboardPanel> All { get; } =
    [
        new()
        {
            Title = "API success rate",
            Type = "gauge",
            Description = "Share of LLM calls that returned an answer (soft errors included, as the seed counts them). Below 95 % for 2 minutes fires LLMSuccessRateCritical.",
            Unit = "percent",
            Min = 90,
            Max = 100,
            Decimals = 2,
            Thresholds = [new("red", null), new("orange", 95), new("yellow", 99), new("green", 99.5)],
            Targets =
            [
                new($"(sum(rate(llm_requests_total{{status=\"success\"}}{RateWindow})) or vector(0))\n  / (sum(rate(llm_requests_total{RateWindow})) > 0) * 100", "success rate"),
            ],
            X = 0, Y = 0, Width = 6, Height = 6,
        },
        new()
        {
            Title = "Error budget remaining (99.5 % availability)",
            Type = "stat",
            Description = "Share of the 0.5 % error budget not yet spent over the dashboard's time range (the seed's error_budget_remaining): 100 % with no failed call, 0 % once failures reach 0.5 % of calls.",
            Unit = "percent",
            Min = 0,
            Max = 100,
            Decimals = 1,
            Thresholds = [new("red", null), new("orange", 25), new("yellow", 50), new("green", 75)],
            Targets =
            [
                new(
                    "clamp_min(\n  1 - (1 - (sum(increase(llm_requests_total{status=\"success\"}[$__range])) or vector(0))\n    / (sum(increase(llm_requests_total[$__range])) > 0))\n  / " +
                    (1 - AvailabilitySlo).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + ",\n  0) * 100",
                    "budget remaining", Instant: true),
            ],
            X = 6, Y = 0, Width = 6, Height = 6,
        },
        new()
        {
            Title = "Degradation mode",
            Type = "stat",
            Description = "The incident responder's mode (llm_degradation_mode, by depth): normal, cached_only, fallback_model, static_response or disabled.",
            Unit = "none",
            Min = 0,
            Max = 4,
            Decimals = 0,
            Thresholds = [new("green", null), new("yellow", 1), new("orange", 2), new("red", 3)],
            ValueMappings =
            [
                new(0, "normal", "green"),
                new(1, "cached_only", "yellow"),
                new(2, "fallback_model", "orange"),
                new(3, "static_response", "red"),
                new(4, "disabled", "dark-red"),
            ],
            Targets = [new("max(llm_degradation_mode)", "mode", Instant: true)],
            X = 12, Y = 0, Width = 6, Height = 6,
        },
        new()
        {
            Title = "Drift (highest score)",
            Type = "stat",
            Description = "The highest drift score: |z| of quality drift per rubric dimension, and the embedding watch's score. 2 or more is drift (LLMQualityDrift, EmbeddingDriftDetected).",
            Unit = "none",
            Decimals = 2,
            Thresholds = [new("green", null), new("yellow", 1.5), new("orange", 2), new("red", 3)],
            Targets = [new("max(llm_drift_score)", "highest score")],
            X = 18, Y = 0, Width = 6, Height = 6,
        },
        new()
        {
            Title = "Latency percentiles",
            Type = "timeseries",
            Description = "End-to-end LLM call latency P50, P95 and P99 (llm_request_duration_seconds). P99 above 15 s for 5 minutes fires LLMP99LatencyHigh.",
            Unit = "s",
            Min = 0,
            Targets = [Quantile("llm_request_duration_seconds", 0.50, "P50"), Quantile("llm_request_duration_seconds", 0.95, "P95"), Quantile("llm_request_duration_seconds", 0.99, "P99")],
            X = 0, Y = 6, Width = 12, Height = 8,
        },
        new()
        {
            Title = "Time to first token",
            Type = "timeseries",
            Description = "Streaming calls' time to the first token, P50 and P95 (llm_time_to_first_token_seconds). P95 above 2 s for 10 minutes fires LLMTTFTHigh.",
            Unit = "s",
            Min = 0,
            Targets = [Quantile("llm_time_to_first_token_seconds", 0.50, "P50"), Quantile("llm_time_to_first_token_seconds", 0.95, "P95")],
            X = 12, Y = 6, Width = 12, Height = 8,
        },
        new()
        {
            Title = "Cost per hour",
            Type = "timeseries",
            Description = "Spend in USD per hour at the current rate, by model (llm_cost_dollars_total).",
            Unit = "currencyUSD",
            Min = 0,
            Decimals = 2,
            Targets = [new($"sum by (model) (rate(llm_cost_dollars_total{RateWindow})) * 3600", "{{model}}")],
            X = 0, Y = 14, Width = 12, Height = 8,
        },
        new()
        {
            Title = "Cost per interaction",
            Type = "timeseries",
            Description = "Mean cost of one call by feature (llm_cost_per_interaction_dollars), and all spend over all calls (the seed's total API cost / interactions).",
            Unit = "currencyUSD",
            Min = 0,
            Decimals = 4,
            Targets =
            [
                new($"sum by (feature) (rate(llm_cost_per_interaction_dollars_sum{RateWindow}))\n  / (sum by (feature) (rate(llm_cost_per_interaction_dollars_count{RateWindow})) > 0)", "{{feature}}"),
                new($"sum(rate(llm_cost_dollars_total{RateWindow}))\n  / (sum(rate(llm_requests_total{RateWindow})) > 0)", "all calls"),
            ],
            X = 12, Y = 14, Width = 12, Height = 8,
        },
        new()
        {
            Title = "User satisfaction (thumbs up share)",
            Type = "timeseries",
            Description = "Share of thumbs up among thumbs up and down (user_feedback_total).",
            Unit = "percent",
            Min = 0,
            Max = 100,
            Targets =
            [
                new($"(sum(rate(user_feedback_total{{feedback_type=\"thumbs_up\"}}{RateWindow})) or vector(0))\n  / (sum(rate(user_feedback_total{{feedback_type=~\"thumbs_up|thumbs_down\"}}{RateWindow})) > 0) * 100", "thumbs up share"),
            ],
            X = 0, Y = 22, Width = 12, Height = 8,
        },
        new()
        {
            Title = "Error categories",
            Type = "piechart",
            Description = "Hard and soft errors over the dashboard's time range, by category (llm_errors_total), low_quality verdicts included.",
            Unit = "short",
            Targets = [new("sum by (error_type) (increase(llm_errors_total[$__range]))", "{{error_type}}", Instant: true)],
            X = 12, Y = 22, Width = 12, Height = 8,
        },
        new()
        {
            Title = "Hallucination rate",
            Type = "gauge",
            Description = "Hallucinations per judged interaction (llm_hallucination_detected_total / vigil_judge_calls_total{outcome=\"verdict\"}). Above 10 % for 30 minutes fires LLMHallucinationRateHigh.",
            Unit = "percent",
            Min = 0,
            Max = 20,
            Decimals = 1,
            Thresholds = [new("green", null), new("yellow", 3), new("orange", 5), new("red", 10)],
            Targets =
            [
                new($"(sum(rate(llm_hallucination_detected_total{RateWindow})) or vector(0))\n  / (sum(rate(vigil_judge_calls_total{{outcome=\"verdict\"}}{RateWindow})) > 0) * 100", "hallucination rate"),
            ],
            X = 0, Y = 30, Width = 6, Height = 6,
        },
        new()
        {
            Title = "Cache hit rate",
            Type = "gauge",
            Description = "Share of response-cache lookups that hit (llm_cache_hits_total, llm_cache_misses_total).",
            Unit = "percent",
            Min = 0,
            Max = 100,
            Decimals = 1,
            Thresholds = [new("red", null), new("yellow", 20), new("green", 50)],
            Targets =
            [
                new(
                    $"(sum(rate(llm_cache_hits_total{RateWindow})) or vector(0))\n  / (((sum(rate(llm_cache_hits_total{RateWindow})) or vector(0)) + (sum(rate(llm_cache_misses_total{RateWindow})) or vector(0))) > 0) * 100",
                    "hit rate"),
            ],
            X = 6, Y = 30, Width = 6, Height = 6,
        },
        new()
        {
            Title = "Firing alerts",
            Type = "table",
            Description = "Alerts firing now in this Prometheus (ALERTS), with their severity and labels.",
            Unit = "none",
            Targets = [new("ALERTS{alertstate=\"firing\"}", "{{alertname}}", Instant: true, Table: true)],
            X = 12, Y = 30, Width = 12, Height = 6,
        },
    ];

    // Shown only while requests arrive: histogram_quantile of all-zero rates is NaN.
    private static DashboardTarget Quantile(string histogram, double quantile, string legend) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"histogram_quantile({quantile:0.00}, sum by (le) (rate({histogram}_bucket{RateWindow})))\n  and on() (sum(rate({histogram}_count{RateWindow})) > 0)"),
            legend);
}
