using System.Diagnostics;
using Vigil.Classification;
using Vigil.Configuration;
using Vigil.Evaluation;
using Vigil.Evaluation.Judge;
using Vigil.Feedback;
using Vigil.Records;

namespace Vigil.Metrics;

/// <summary>
/// Writes the metric catalog (seed §1) from one call's figures: the one place its labels, guards and error rule are
/// applied, for both hosts. <c>UseVigil()</c> writes each call as it ends; the collector writes each record it stores.
/// An instrument nobody listens to is skipped before any tag is built.
/// </summary>
public sealed class MetricCatalogWriter
{
    private readonly VigilMetrics _metrics;
    private readonly LabelGuard _models;
    private readonly LabelGuard _features;
    private readonly LabelGuard _tiers;

    /// <summary>Creates a writer with <paramref name="options"/>' label sets.</summary>
    public MetricCatalogWriter(VigilMetrics metrics, VigilOptions? options = null)
    {
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        options ??= new VigilOptions();
        _models = new LabelGuard(MetricTags.Model, options.Models, options.MaxLabelValues, metrics);
        _features = new LabelGuard(MetricTags.Feature, options.Features, options.MaxLabelValues, metrics);
        _tiers = new LabelGuard(MetricTags.UserTier, options.UserTiers, options.MaxLabelValues, metrics);
    }

    /// <summary>The instruments written to.</summary>
    public VigilMetrics Metrics => _metrics;

    /// <summary>True when anyone listens to an instrument a call writes.</summary>
    public bool IsCallObserved => _metrics.IsCallObserved;

    /// <summary>The <c>model</c> label of <paramref name="model"/> (<c>other</c> outside the configured set).</summary>
    public string ModelLabel(string model) => _models.Apply(model);

    /// <summary>The <c>feature</c>/<c>endpoint</c> label of <paramref name="feature"/>.</summary>
    public string FeatureLabel(string feature) => _features.Apply(feature);

    /// <summary>The <c>user_tier</c> label of <paramref name="userTier"/>.</summary>
    public string UserTierLabel(string userTier) => _tiers.Apply(userTier);

    /// <summary>
    /// Writes a stream's pace: the mean time between its token chunks and its tokens per second, from the time between
    /// the first and the last of <paramref name="tokenChunks"/> chunks that carried tokens. Nothing for fewer than two.
    /// </summary>
    /// <param name="modelLabel">The guarded <c>model</c> label (<see cref="ModelLabel"/>).</param>
    /// <param name="firstToLast">From the first chunk with tokens to the last.</param>
    /// <param name="tokenChunks">Chunks that carried tokens.</param>
    public void WriteStreamPace(string modelLabel, TimeSpan firstToLast, int tokenChunks)
    {
        var seconds = firstToLast.TotalSeconds;
        if (tokenChunks < 2 || seconds <= 0)
        {
            return;
        }

        var model = new KeyValuePair<string, object?>(MetricTags.Model, modelLabel);
        _metrics.TimeBetweenTokens.Record(seconds / (tokenChunks - 1), model);
        _metrics.TokensPerSecond.Record((tokenChunks - 1) / seconds, model);
    }

    /// <summary>Writes a stored interaction.</summary>
    public void Write(InteractionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var figures = InteractionFigures.Of(record);
        Write(in figures);
    }

    /// <summary>Writes one call from its figures, applying the label guards.</summary>
    /// <param name="call">The call's figures (labels not yet guarded).</param>
    /// <param name="unpriced">True when its cost came from the fallback price (counted in <c>vigil_unpriced_requests_total</c>).</param>
    public void Write(in InteractionFigures call, bool unpriced = false) =>
        Write(in call, ModelLabel(call.Model), FeatureLabel(call.Feature), UserTierLabel(call.UserTier), unpriced);

    /// <summary>Writes one call from its figures with labels already guarded (<see cref="ModelLabel"/> and the others).</summary>
    public void Write(in InteractionFigures call, string modelLabel, string featureLabel, string userTierLabel, bool unpriced = false)
    {
        var model = new KeyValuePair<string, object?>(MetricTags.Model, modelLabel);
        var endpoint = new KeyValuePair<string, object?>(MetricTags.Endpoint, featureLabel);
        var errorLabel = ErrorKeys.LabelOf(call.Status, call.ErrorType);
        if (_metrics.Requests.Enabled)
        {
            _metrics.Requests.Add(1, new TagList
            {
                model, endpoint,
                { MetricTags.Status, WireNames.Status.Of(call.Status) },
                { MetricTags.ErrorType, errorLabel },
            });
        }

        if (errorLabel != ErrorLabels.None && _metrics.Errors.Enabled)
        {
            _metrics.Errors.Add(1, model, new(MetricTags.ErrorType, errorLabel), new(MetricTags.ErrorCode, ErrorKeys.CodeOf(call.Status, call.HttpStatus)));
        }

        _metrics.RequestDuration.Record(call.LatencyMs / 1000.0, model, endpoint);
        if (call.TtftMs is { } ttft)
        {
            _metrics.TimeToFirstToken.Record(ttft / 1000.0, model);
        }

        if (_metrics.Tokens.Enabled)
        {
            AddTokens(call.InputTokens, model, "input");
            AddTokens(call.OutputTokens, model, "output");
            AddTokens(call.CachedTokens, model, "cached");
        }

        if (call.CostUsd is { } cost)
        {
            var usd = (double)cost;
            var feature = new KeyValuePair<string, object?>(MetricTags.Feature, featureLabel);
            _metrics.Cost.Add(usd, model, feature, new(MetricTags.UserTier, userTierLabel));
            _metrics.CostPerInteraction.Record(usd, feature);
            if (unpriced)
            {
                _metrics.UnpricedRequests.Add(1, model);
            }
        }

        if (call.Cache is { } cache)
        {
            var cacheType = new KeyValuePair<string, object?>(MetricTags.CacheType, CacheTypeLabel(call.CacheType));
            (cache == CacheOutcome.Hit ? _metrics.CacheHits : _metrics.CacheMisses).Add(1, cacheType);
        }

        if (call.Degradation != Degradation.None && _metrics.DegradedResponses.Enabled)
        {
            _metrics.DegradedResponses.Add(1, model, endpoint, new(MetricTags.Mode, DegradationLabels.Of(call.Degradation)));
        }
    }

    /// <summary>Records a feedback (seed §5: the feedback counter, and ratings and CSAT answers as satisfaction scores).</summary>
    public void Write(FeedbackRecord feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var feature = new KeyValuePair<string, object?>(MetricTags.Feature, _features.Apply(feedback.Feature));
        _metrics.UserFeedback.Add(1, new(MetricTags.FeedbackType, SatisfactionStats.FeedbackTypeLabel(feedback)), feature);
        if (feedback.Type is FeedbackType.Rating or FeedbackType.Csat && feedback.Value is { } score)
        {
            _metrics.UserSatisfaction.Record(score, feature);
        }
    }

    /// <summary>
    /// Counts a stored verdict: one scoring overall ≤ 2 (<see cref="VerdictRules.IsLowQuality"/>) is the seed's
    /// <c>low_quality</c> soft error in <c>llm_errors_total</c> (error_code 0). A verdict does not carry the judged
    /// answer's model, so its <c>model</c> label is <paramref name="model"/> when the caller knows it, else <c>unknown</c>.
    /// </summary>
    public void Write(EvaluationRecord verdict, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (VerdictRules.IsLowQuality(verdict.Overall) && _metrics.Errors.Enabled)
        {
            _metrics.Errors.Add(1,
                new(MetricTags.Model, ModelLabel(string.IsNullOrEmpty(model) ? JudgeMetrics.UnknownModel : model)),
                new(MetricTags.ErrorType, ErrorLabels.Of(ErrorType.LowQuality)),
                new(MetricTags.ErrorCode, ErrorKeys.CodeOf(InteractionStatus.Success, null)));
        }
    }

    private void AddTokens(long? tokens, KeyValuePair<string, object?> model, string type)
    {
        if (tokens is { } count)
        {
            _metrics.Tokens.Add(count, model, new(MetricTags.TokenType, type));
        }
    }

    private static string CacheTypeLabel(CacheType? type) => WireNames.CacheType.Of(type ?? CacheType.Exact);
}
