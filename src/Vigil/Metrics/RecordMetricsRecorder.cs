using System.Diagnostics;
using Vigil.Classification;
using Vigil.Configuration;
using Vigil.Feedback;
using Vigil.Records;

namespace Vigil.Metrics;

/// <summary>
/// Records a stored interaction or feedback into the metric catalog, with the same labels and guards as
/// <c>UseVigil()</c>, so the collector's <c>/metrics</c> looks like an instrumented .NET app's.
/// </summary>
public sealed class RecordMetricsRecorder
{
    private readonly VigilMetrics _metrics;
    private readonly LabelGuard _models;
    private readonly LabelGuard _features;
    private readonly LabelGuard _tiers;

    /// <summary>Creates a recorder with <paramref name="options"/>' label sets.</summary>
    public RecordMetricsRecorder(VigilMetrics metrics, VigilOptions? options = null)
    {
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        options ??= new VigilOptions();
        _models = new LabelGuard(MetricTags.Model, options.Models, options.MaxLabelValues, metrics);
        _features = new LabelGuard(MetricTags.Feature, options.Features, options.MaxLabelValues, metrics);
        _tiers = new LabelGuard(MetricTags.UserTier, options.UserTiers, options.MaxLabelValues, metrics);
    }

    /// <summary>Records a normalized interaction.</summary>
    public void Record(InteractionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var model = new KeyValuePair<string, object?>(MetricTags.Model, _models.Apply(record.Model));
        var endpoint = new KeyValuePair<string, object?>(MetricTags.Endpoint, _features.Apply(record.Feature));
        var errorLabel = record.ErrorType is { } type ? ErrorLabels.Of(type) : record.Status == InteractionStatus.Error ? ErrorLabels.BadRequest : ErrorLabels.None;
        _metrics.Requests.Add(1, new TagList
        {
            model, endpoint,
            { MetricTags.Status, WireNames.Status.Of(record.Status) },
            { MetricTags.ErrorType, errorLabel },
        });
        if (errorLabel != ErrorLabels.None)
        {
            var code = record.HttpStatus is { } status && record.Status == InteractionStatus.Error ? StatusLabels.Of(status) : "0";
            _metrics.Errors.Add(1, model, new(MetricTags.ErrorType, errorLabel), new(MetricTags.ErrorCode, code));
        }

        _metrics.RequestDuration.Record(record.LatencyMs / 1000.0, model, endpoint);
        if (record.TtftMs is { } ttft)
        {
            _metrics.TimeToFirstToken.Record(ttft / 1000.0, model);
        }

        if (record.InputTokens is { } input)
        {
            _metrics.Tokens.Add(input, model, new(MetricTags.TokenType, "input"));
        }

        if (record.OutputTokens is { } output)
        {
            _metrics.Tokens.Add(output, model, new(MetricTags.TokenType, "output"));
        }

        if (record.CachedTokens is { } cached)
        {
            _metrics.Tokens.Add(cached, model, new(MetricTags.TokenType, "cached"));
        }

        if (record.CostUsd is { } cost)
        {
            var feature = new KeyValuePair<string, object?>(MetricTags.Feature, endpoint.Value);
            _metrics.Cost.Add((double)cost, model, feature, new(MetricTags.UserTier, _tiers.Apply(record.UserTier)));
            _metrics.CostPerInteraction.Record((double)cost, feature);
        }

        if (record.Cache is { } cache)
        {
            var cacheType = new KeyValuePair<string, object?>(MetricTags.CacheType, CacheTypeLabel(record.CacheType));
            (cache == CacheOutcome.Hit ? _metrics.CacheHits : _metrics.CacheMisses).Add(1, cacheType);
        }

        if (record.Degradation != Degradation.None)
        {
            _metrics.DegradedResponses.Add(1, model, endpoint, new(MetricTags.Mode, DegradationLabels.Of(record.Degradation)));
        }
    }

    /// <summary>Records a feedback (seed §5: the feedback counter, and ratings and CSAT answers as satisfaction scores).</summary>
    public void Record(FeedbackRecord feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var feature = new KeyValuePair<string, object?>(MetricTags.Feature, _features.Apply(feedback.Feature));
        _metrics.UserFeedback.Add(1, new(MetricTags.FeedbackType, SatisfactionStats.FeedbackTypeLabel(feedback)), feature);
        if (feedback.Type is FeedbackType.Rating or FeedbackType.Csat && feedback.Value is { } score)
        {
            _metrics.UserSatisfaction.Record(score, feature);
        }
    }

    private static string CacheTypeLabel(CacheType? type) => WireNames.CacheType.Of(type ?? CacheType.Exact);
}
