using System.Diagnostics.Metrics;

namespace Vigil.Metrics;

/// <summary>
/// Every instrument of the metric catalog on one <see cref="Meter"/> named <c>Vigil</c>, created once.
/// Instrument names are the Prometheus exposition names; histogram buckets travel as <see cref="InstrumentAdvice{T}"/>.
/// </summary>
public sealed class VigilMetrics : IDisposable
{
    private static readonly Lazy<VigilMetrics> SharedInstance = new(() => new VigilMetrics());
    private readonly bool _ownsMeter;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/>, or on a meter of its own.</summary>
    public VigilMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MetricNames.MeterName) ?? new Meter(MetricNames.MeterName);
        _ownsMeter = meterFactory is null;

        Requests = Meter.CreateCounter<long>(MetricNames.Requests, description: "LLM API requests.");
        Errors = Meter.CreateCounter<long>(MetricNames.Errors, description: "LLM API errors, hard and soft.");
        RequestDuration = Histogram(MetricNames.RequestDuration, "s", "End-to-end LLM request latency.", MetricBuckets.RequestDuration);
        TimeToFirstToken = Histogram(MetricNames.TimeToFirstToken, "s", "Time to the first streamed token.", MetricBuckets.TimeToFirstToken);
        Tokens = Meter.CreateCounter<long>(MetricNames.Tokens, description: "Tokens used (input includes cached).");
        Cost = Meter.CreateCounter<double>(MetricNames.Cost, "USD", "LLM API cost in US dollars.");
        CostPerInteraction = Histogram(MetricNames.CostPerInteraction, "USD", "Cost of one interaction in US dollars.", MetricBuckets.CostPerInteraction);
        QualityScore = Histogram(MetricNames.QualityScore, null, "LLM output quality score (1-5).", MetricBuckets.QualityScore);
        HallucinationDetected = Meter.CreateCounter<long>(MetricNames.HallucinationDetected, description: "Hallucinations detected.");
        UserFeedback = Meter.CreateCounter<long>(MetricNames.UserFeedback, description: "User feedback received.");
        UserSatisfaction = Histogram(MetricNames.UserSatisfaction, null, "User satisfaction score (1-5).", MetricBuckets.UserSatisfaction);
        DriftScore = Meter.CreateGauge<double>(MetricNames.DriftScore, description: "Output drift score (|z|).");
        EmbeddingDriftDistance = Meter.CreateGauge<double>(MetricNames.EmbeddingDriftDistance, description: "Embedding drift distance.");
        CacheHits = Meter.CreateCounter<long>(MetricNames.CacheHits, description: "Response cache hits.");
        CacheMisses = Meter.CreateCounter<long>(MetricNames.CacheMisses, description: "Response cache misses.");

        TimeBetweenTokens = Histogram(MetricNames.TimeBetweenTokens, "s", "Mean time between streamed tokens of one call.", MetricBuckets.TimeBetweenTokens);
        TokensPerSecond = Histogram(MetricNames.TokensPerSecond, "{token}/s", "Streamed tokens per second of one call.", MetricBuckets.TokensPerSecond);
        CancelledRequests = Meter.CreateCounter<long>(MetricNames.CancelledRequests, description: "LLM calls cancelled by the caller.");
        UnpricedRequests = Meter.CreateCounter<long>(MetricNames.UnpricedRequests, description: "Calls priced at the fallback price: model not in the catalog.");
        DegradedResponses = Meter.CreateCounter<long>(MetricNames.DegradedResponses, description: "Answers produced by a degraded path.");
        LabelOverflow = Meter.CreateCounter<long>(MetricNames.LabelOverflow, description: "Label values folded into 'other'.");
        SinkDropped = Meter.CreateCounter<long>(MetricNames.SinkDropped, description: "Records a sink dropped, by record (interaction, feedback) and reason (buffer_full, rejected, invalid, shutdown, error).");
        JudgeCalls = Meter.CreateCounter<long>(MetricNames.JudgeCalls, description: "Interactions the LLM judge was asked to judge, by outcome.");
        JudgeErrors = Meter.CreateCounter<long>(MetricNames.JudgeErrors, description: "LLM judge calls that gave no verdict, by reason.");
        JudgeRetries = Meter.CreateCounter<long>(MetricNames.JudgeRetries, description: "LLM judge endpoint calls retried, by reason.");
        JudgeDuration = Histogram(MetricNames.JudgeDuration, "s", "Time to an LLM judge outcome, retries included.", MetricBuckets.JudgeDuration);
        JudgeQueueDropped = Meter.CreateCounter<long>(MetricNames.JudgeQueueDropped, description: "Interactions the online judge dropped: queue full.");
    }

    /// <summary>One process-wide instance, for callers without dependency injection.</summary>
    public static VigilMetrics Shared => SharedInstance.Value;

    /// <summary>The meter named <c>Vigil</c>.</summary>
    public Meter Meter { get; }

    /// <summary>llm_requests_total.</summary>
    public Counter<long> Requests { get; }
    /// <summary>llm_errors_total.</summary>
    public Counter<long> Errors { get; }
    /// <summary>llm_request_duration_seconds.</summary>
    public Histogram<double> RequestDuration { get; }
    /// <summary>llm_time_to_first_token_seconds.</summary>
    public Histogram<double> TimeToFirstToken { get; }
    /// <summary>llm_tokens_total.</summary>
    public Counter<long> Tokens { get; }
    /// <summary>llm_cost_dollars_total.</summary>
    public Counter<double> Cost { get; }
    /// <summary>llm_cost_per_interaction_dollars.</summary>
    public Histogram<double> CostPerInteraction { get; }
    /// <summary>llm_quality_score.</summary>
    public Histogram<double> QualityScore { get; }
    /// <summary>llm_hallucination_detected_total.</summary>
    public Counter<long> HallucinationDetected { get; }
    /// <summary>user_feedback_total.</summary>
    public Counter<long> UserFeedback { get; }
    /// <summary>user_satisfaction_score.</summary>
    public Histogram<double> UserSatisfaction { get; }
    /// <summary>llm_drift_score.</summary>
    public Gauge<double> DriftScore { get; }
    /// <summary>embedding_drift_distance.</summary>
    public Gauge<double> EmbeddingDriftDistance { get; }
    /// <summary>llm_cache_hits_total.</summary>
    public Counter<long> CacheHits { get; }
    /// <summary>llm_cache_misses_total.</summary>
    public Counter<long> CacheMisses { get; }
    /// <summary>llm_time_between_tokens_seconds.</summary>
    public Histogram<double> TimeBetweenTokens { get; }
    /// <summary>llm_tokens_per_second.</summary>
    public Histogram<double> TokensPerSecond { get; }
    /// <summary>llm_cancelled_requests_total.</summary>
    public Counter<long> CancelledRequests { get; }
    /// <summary>llm_unpriced_requests_total.</summary>
    public Counter<long> UnpricedRequests { get; }
    /// <summary>llm_degraded_responses_total.</summary>
    public Counter<long> DegradedResponses { get; }
    /// <summary>vigil_label_overflow_total.</summary>
    public Counter<long> LabelOverflow { get; }
    /// <summary>vigil_sink_dropped_total.</summary>
    public Counter<long> SinkDropped { get; }
    /// <summary>vigil_judge_calls_total.</summary>
    public Counter<long> JudgeCalls { get; }
    /// <summary>vigil_judge_errors_total.</summary>
    public Counter<long> JudgeErrors { get; }
    /// <summary>vigil_judge_retries_total.</summary>
    public Counter<long> JudgeRetries { get; }
    /// <summary>vigil_judge_duration_seconds.</summary>
    public Histogram<double> JudgeDuration { get; }
    /// <summary>vigil_judge_queue_dropped_total.</summary>
    public Counter<long> JudgeQueueDropped { get; }

    /// <summary>True when any listener records the per-call instruments; when false, calls pay nothing.</summary>
    public bool IsCallObserved =>
        Requests.Enabled || RequestDuration.Enabled || Errors.Enabled || Tokens.Enabled || Cost.Enabled
        || TimeToFirstToken.Enabled || CostPerInteraction.Enabled || CancelledRequests.Enabled;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter && !ReferenceEquals(this, SharedInstance.IsValueCreated ? SharedInstance.Value : null))
        {
            Meter.Dispose();
        }
    }

    private Histogram<double> Histogram(string name, string? unit, string description, IReadOnlyList<double> buckets) =>
        Meter.CreateHistogram(name, unit, description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
}
