using Vigil.Metrics;

namespace Vigil.Alerting.Engine;

/// <summary>
/// The counters and histograms the catalog's rules read, each summed over its labels: the engine's side of the metric
/// catalog (<see cref="AlertSignalObserver"/> fills them with the catalog's own rules).
/// </summary>
public static class AlertSignals
{
    /// <summary><c>llm_requests_total</c>.</summary>
    public static SignalCounter Requests { get; } = new(0, "llm_requests_total");

    /// <summary><c>llm_requests_total{status="success"}</c>.</summary>
    public static SignalCounter SuccessfulRequests { get; } = new(1, "llm_requests_total{status=\"success\"}");

    /// <summary><c>llm_errors_total{error_type="rate_limit"}</c>.</summary>
    public static SignalCounter RateLimitErrors { get; } = new(2, "llm_errors_total{error_type=\"rate_limit\"}");

    /// <summary><c>llm_cost_dollars_total</c>.</summary>
    public static SignalCounter CostDollars { get; } = new(3, "llm_cost_dollars_total");

    /// <summary><c>llm_hallucination_detected_total</c>.</summary>
    public static SignalCounter Hallucinations { get; } = new(4, "llm_hallucination_detected_total");

    /// <summary><c>vigil_judge_calls_total{outcome="verdict"}</c>.</summary>
    public static SignalCounter JudgeVerdicts { get; } = new(5, "vigil_judge_calls_total{outcome=\"verdict\"}");

    /// <summary><c>user_feedback_total{feedback_type="thumbs_up"}</c>.</summary>
    public static SignalCounter ThumbsUp { get; } = new(6, "user_feedback_total{feedback_type=\"thumbs_up\"}");

    /// <summary><c>user_feedback_total{feedback_type="thumbs_down"}</c>.</summary>
    public static SignalCounter ThumbsDown { get; } = new(7, "user_feedback_total{feedback_type=\"thumbs_down\"}");

    /// <summary><c>llm_request_duration_seconds</c>.</summary>
    public static SignalHistogram RequestDuration { get; } = new(MetricNames.RequestDuration, 8, MetricBuckets.RequestDuration);

    /// <summary><c>llm_time_to_first_token_seconds</c>.</summary>
    public static SignalHistogram TimeToFirstToken { get; } =
        new(MetricNames.TimeToFirstToken, 8 + RequestDuration.Width, MetricBuckets.TimeToFirstToken);

    /// <summary>Every counter, buckets included: the history's width.</summary>
    public static int Count { get; } = TimeToFirstToken.Count.Index + TimeToFirstToken.Width;

    /// <summary>The plain counters (not the histograms').</summary>
    public static IReadOnlyList<SignalCounter> Counters { get; } =
        [Requests, SuccessfulRequests, RateLimitErrors, CostDollars, Hallucinations, JudgeVerdicts, ThumbsUp, ThumbsDown];

    /// <summary>The histograms.</summary>
    public static IReadOnlyList<SignalHistogram> Histograms { get; } = [RequestDuration, TimeToFirstToken];
}
