using Vigil.Classification;
using Vigil.Feedback;
using Vigil.Records;
using Vigil.Signals;

namespace Vigil.Alerting.Engine;

/// <summary>
/// Feeds the engine's <see cref="SignalHistory"/> from each record the signal pipeline counts, with the metric
/// catalog's rules (<c>MetricCatalogWriter</c>): the status and error label of <see cref="ErrorKeys"/>, latency and
/// TTFT in seconds, the cost, the judge's verdicts and hallucinations, and thumbs feedback as
/// <see cref="SatisfactionStats.FeedbackTypeLabel"/> names it. Each record counts at its own timestamp (clamped to
/// now), restored ones too, so the history is rebuilt at start.
/// </summary>
public sealed class AlertSignalObserver : ISignalObserver
{
    private static readonly string RateLimit = ErrorLabels.Of(ErrorType.RateLimit);
    private readonly SignalHistory _history;
    private readonly TimeProvider _time;

    /// <summary>Feeds <paramref name="history"/>.</summary>
    public AlertSignalObserver(SignalHistory history, TimeProvider? time = null)
    {
        _history = history ?? throw new ArgumentNullException(nameof(history));
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public void OnInteraction(InteractionRecord interaction, bool restored)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var at = interaction.Timestamp;
        _history.Add(AlertSignals.Requests, at, 1);
        if (interaction.Status == InteractionStatus.Success)
        {
            _history.Add(AlertSignals.SuccessfulRequests, at, 1);
        }

        if (ErrorKeys.LabelOf(interaction.Status, interaction.ErrorType) == RateLimit)
        {
            _history.Add(AlertSignals.RateLimitErrors, at, 1);
        }

        _history.Observe(AlertSignals.RequestDuration, at, interaction.LatencyMs / 1000.0);
        if (interaction.TtftMs is { } ttft)
        {
            _history.Observe(AlertSignals.TimeToFirstToken, at, ttft / 1000.0);
        }

        if (interaction.CostUsd is { } cost)
        {
            _history.Add(AlertSignals.CostDollars, at, (double)cost);
        }
    }

    /// <inheritdoc/>
    public void OnFeedback(FeedbackRecord feedback, bool restored)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (feedback.Type != FeedbackType.Thumbs)
        {
            return;
        }

        var at = feedback.Timestamp ?? _time.GetUtcNow();
        _history.Add(SatisfactionStats.FeedbackTypeLabel(feedback) == "thumbs_up" ? AlertSignals.ThumbsUp : AlertSignals.ThumbsDown, at, 1);
    }

    /// <inheritdoc/>
    public void OnEvaluation(EvaluationRecord evaluation, bool restored)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var at = evaluation.EvaluatedAt ?? _time.GetUtcNow();
        _history.Add(AlertSignals.JudgeVerdicts, at, 1);
        if (evaluation.IsHallucination)
        {
            _history.Add(AlertSignals.Hallucinations, at, 1);
        }
    }
}
