namespace Vigil.Metrics;

/// <summary>The label names of the catalog.</summary>
public static class MetricTags
{
    /// <summary>The model asked for (guarded).</summary>
    public const string Model = "model";
    /// <summary>The seed's endpoint label; carries the feature.</summary>
    public const string Endpoint = "endpoint";
    /// <summary>The feature (guarded).</summary>
    public const string Feature = "feature";
    /// <summary>The user tier (guarded).</summary>
    public const string UserTier = "user_tier";
    /// <summary>success or error.</summary>
    public const string Status = "status";
    /// <summary>An error category, or none.</summary>
    public const string ErrorType = "error_type";
    /// <summary>The HTTP status, or 0.</summary>
    public const string ErrorCode = "error_code";
    /// <summary>input, output or cached.</summary>
    public const string TokenType = "token_type";
    /// <summary>low, medium or high.</summary>
    public const string Severity = "severity";
    /// <summary>The evaluator.</summary>
    public const string Evaluator = "evaluator";
    /// <summary>The quality dimension.</summary>
    public const string Dimension = "dimension";
    /// <summary>The feedback type.</summary>
    public const string FeedbackType = "feedback_type";
    /// <summary>The drift type.</summary>
    public const string DriftType = "drift_type";
    /// <summary>The distance metric.</summary>
    public const string Metric = "metric";
    /// <summary>exact, semantic or prompt.</summary>
    public const string CacheType = "cache_type";
    /// <summary>A degradation mode.</summary>
    public const string Mode = "mode";
    /// <summary>A label name (label overflow).</summary>
    public const string Label = "label";
    /// <summary>The outcome of a judge call: verdict or error.</summary>
    public const string Outcome = "outcome";
    /// <summary>Why a judge call failed or was retried, or why a sink dropped records.</summary>
    public const string Reason = "reason";
    /// <summary>The kind of record a sink dropped: interaction or feedback.</summary>
    public const string Record = "record";
}
