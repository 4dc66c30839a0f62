using Vigil.Configuration;
using Vigil.Metrics;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// Records judge outcomes into the metric catalog: each verdict's five scores in <c>llm_quality_score</c>
/// (evaluator <c>llm_judge</c>) and its hallucination in <c>llm_hallucination_detected_total</c> with the seed's
/// severity; beside them <c>vigil_judge_calls_total{outcome}</c>, <c>vigil_judge_errors_total{reason}</c>,
/// <c>vigil_judge_retries_total{reason}</c> and <c>vigil_judge_duration_seconds</c>. The <c>model</c> label is the
/// model that produced the judged answer (not the judge), guarded like every model label, so quality is read per
/// production model. Shared by <see cref="LlmJudge"/> and the collector's online evaluator.
/// </summary>
public sealed class JudgeMetrics
{
    /// <summary>The <c>evaluator</c> label of the LLM judge's scores (the seed's).</summary>
    public const string LlmJudgeEvaluator = "llm_judge";

    /// <summary>The <c>model</c> label when the judged model is not known.</summary>
    public const string UnknownModel = "unknown";

    private readonly VigilMetrics _metrics;
    private readonly MetricCatalogWriter _catalog;

    /// <summary>Creates a recorder with <paramref name="options"/>' model label set.</summary>
    public JudgeMetrics(VigilMetrics metrics, VigilOptions? options = null)
        : this(new MetricCatalogWriter(metrics ?? throw new ArgumentNullException(nameof(metrics)), options))
    {
    }

    /// <summary>Creates a recorder whose <c>model</c> label is guarded by the catalog's own guard (the same models fold into <c>other</c>).</summary>
    public JudgeMetrics(MetricCatalogWriter catalog)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _metrics = catalog.Metrics;
    }

    /// <summary>Records one outcome: the call, its duration, and the verdict's scores or the error's reason.</summary>
    /// <param name="result">The outcome.</param>
    /// <param name="model">The model whose answer was judged; null when unknown.</param>
    /// <param name="evaluator">The <c>evaluator</c> label.</param>
    public void Record(JudgeResult result, string? model, string evaluator = LlmJudgeEvaluator)
    {
        ArgumentNullException.ThrowIfNull(result);
        _metrics.JudgeCalls.Add(1, new KeyValuePair<string, object?>(MetricTags.Outcome, result.Succeeded ? "verdict" : "error"));
        _metrics.JudgeDuration.Record(result.Duration.TotalSeconds);
        if (result.Succeeded)
        {
            RecordVerdict(result.Reply, model, evaluator);
        }
        else
        {
            _metrics.JudgeErrors.Add(1, new KeyValuePair<string, object?>(MetricTags.Reason, result.Error.Label));
        }
    }

    /// <summary>Records a verdict's scores and, when it found one, its hallucination.</summary>
    public void RecordVerdict(JudgeReply reply, string? model, string evaluator = LlmJudgeEvaluator)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentException.ThrowIfNullOrEmpty(evaluator);
        var modelTag = new KeyValuePair<string, object?>(MetricTags.Model, _catalog.ModelLabel(string.IsNullOrEmpty(model) ? UnknownModel : model));
        var evaluatorTag = new KeyValuePair<string, object?>(MetricTags.Evaluator, evaluator);
        if (_metrics.QualityScore.Enabled)
        {
            foreach (var dimension in JudgeDimensions.Scores)
            {
                _metrics.QualityScore.Record(reply.Score(dimension), modelTag, evaluatorTag, new(MetricTags.Dimension, dimension));
            }
        }

        if (reply.IsHallucination)
        {
            _metrics.HallucinationDetected.Add(1, modelTag, new(MetricTags.Severity, Quality.HallucinationSeverities.Label(VerdictRules.SeverityOf(reply.Faithfulness))));
        }
    }

    /// <summary>Records a retried judge call.</summary>
    /// <param name="reason">Why: rate_limit, server_error, timeout or network.</param>
    public void RecordRetry(string reason) =>
        _metrics.JudgeRetries.Add(1, new KeyValuePair<string, object?>(MetricTags.Reason, reason));
}
