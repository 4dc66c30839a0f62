namespace Vigil.Metrics;

/// <summary>
/// The exposition names of the metric catalog (DESIGN.md). They are the contract with the shipped
/// alert rules, dashboards and the seed's PromQL: never rename one.
/// </summary>
public static class MetricNames
{
    /// <summary>The one meter every Vigil instrument belongs to.</summary>
    public const string MeterName = "Vigil";

    /// <summary>Counter: model, endpoint, status, error_type.</summary>
    public const string Requests = "llm_requests_total";
    /// <summary>Counter: model, error_type, error_code.</summary>
    public const string Errors = "llm_errors_total";
    /// <summary>Histogram (seconds): model, endpoint.</summary>
    public const string RequestDuration = "llm_request_duration_seconds";
    /// <summary>Histogram (seconds): model.</summary>
    public const string TimeToFirstToken = "llm_time_to_first_token_seconds";
    /// <summary>Counter: model, token_type.</summary>
    public const string Tokens = "llm_tokens_total";
    /// <summary>Counter (USD): model, feature, user_tier.</summary>
    public const string Cost = "llm_cost_dollars_total";
    /// <summary>Histogram (USD): feature.</summary>
    public const string CostPerInteraction = "llm_cost_per_interaction_dollars";
    /// <summary>Histogram: model, evaluator, dimension.</summary>
    public const string QualityScore = "llm_quality_score";
    /// <summary>Counter: model, severity.</summary>
    public const string HallucinationDetected = "llm_hallucination_detected_total";
    /// <summary>Counter: feedback_type, feature.</summary>
    public const string UserFeedback = "user_feedback_total";
    /// <summary>Histogram: feature.</summary>
    public const string UserSatisfaction = "user_satisfaction_score";
    /// <summary>Gauge: model, drift_type.</summary>
    public const string DriftScore = "llm_drift_score";
    /// <summary>Gauge: model, metric.</summary>
    public const string EmbeddingDriftDistance = "embedding_drift_distance";
    /// <summary>Counter: cache_type.</summary>
    public const string CacheHits = "llm_cache_hits_total";
    /// <summary>Counter: cache_type.</summary>
    public const string CacheMisses = "llm_cache_misses_total";

    // Beside the catalog: Vigil's own.

    /// <summary>Histogram (seconds): model. Mean time between streamed tokens of one call.</summary>
    public const string TimeBetweenTokens = "llm_time_between_tokens_seconds";
    /// <summary>Histogram: model. Streamed tokens per second of one call.</summary>
    public const string TokensPerSecond = "llm_tokens_per_second";
    /// <summary>Counter: model, endpoint. Calls the caller cancelled (not counted as requests).</summary>
    public const string CancelledRequests = "llm_cancelled_requests_total";
    /// <summary>Counter: model. Calls priced at the fallback price because the model is not in the catalog.</summary>
    public const string UnpricedRequests = "llm_unpriced_requests_total";
    /// <summary>Counter: model, endpoint, mode. Answers produced by a degraded path.</summary>
    public const string DegradedResponses = "llm_degraded_responses_total";
    /// <summary>Counter: label. Label values folded into <c>other</c> by the label guard.</summary>
    public const string LabelOverflow = "vigil_label_overflow_total";
    /// <summary>Counter. Interaction records dropped because the sink's buffer was full.</summary>
    public const string SinkDropped = "vigil_sink_dropped_total";
    /// <summary>Gauge. The configured monthly budget in USD, for the budget alert.</summary>
    public const string BudgetMonthly = "vigil_budget_monthly_dollars";
    /// <summary>Counter: outcome (verdict, error). Interactions the LLM judge was asked to judge.</summary>
    public const string JudgeCalls = "vigil_judge_calls_total";
    /// <summary>Counter: reason. Judge calls that gave no verdict (invalid_reply, timeout, rate_limit, server_error, auth_failure, bad_request, network, protocol_error).</summary>
    public const string JudgeErrors = "vigil_judge_errors_total";
    /// <summary>Counter: reason. Judge endpoint calls retried (rate_limit, server_error, timeout, network).</summary>
    public const string JudgeRetries = "vigil_judge_retries_total";
    /// <summary>Histogram (seconds). Time to a judge outcome, retries and their waits included.</summary>
    public const string JudgeDuration = "vigil_judge_duration_seconds";
    /// <summary>Counter. Interactions the online judge dropped because its queue was full.</summary>
    public const string JudgeQueueDropped = "vigil_judge_queue_dropped_total";
    /// <summary>Histogram (seconds). The gateway's own time per call: request in → upstream request out, plus upstream answer in → answer out (first byte, when streamed).</summary>
    public const string GatewayOverhead = "vigil_gateway_overhead_seconds";
    /// <summary>Gauge. The degradation mode in force, by depth: 0 normal, 1 cached_only, 2 fallback_model, 3 static_response, 4 disabled.</summary>
    public const string DegradationMode = "llm_degradation_mode";
    /// <summary>Counter: notifier, outcome (sent, failed, dropped). Alert notifications.</summary>
    public const string Notifications = "vigil_notifications_total";
    /// <summary>Counter: rule. Alert rule evaluations that failed (an input could not be read).</summary>
    public const string AlertEvaluationErrors = "vigil_alert_evaluation_errors_total";
}
