using Vigil.Records;
using Vigil.Sinks;

namespace Vigil.Feedback;

/// <summary>
/// How an app records what its users say about its answers (the seed's §5): 👍/👎 and 1-5 ratings on an interaction,
/// CSAT and NPS surveys, free text. Each call builds a <see cref="FeedbackRecord"/> (stamped now) and hands it to the
/// <see cref="IInteractionSink"/>, which passes it on (to the collector, to the in-process pipeline) without waiting.
/// Arguments are checked against the contract (<c>feedback.schema.json</c>); a bad one throws, so a mistake shows up in
/// the app's tests rather than as a record the collector refuses.
/// </summary>
/// <example>
/// <code>
/// feedback.ThumbsDown(traceId, feature: "customer_service", userId: "u-42");
/// feedback.Nps(9, userId: "u-42");
/// </code>
/// </example>
public sealed class VigilFeedback
{
    private readonly IInteractionSink _sink;
    private readonly TimeProvider _time;

    /// <summary>Sends feedback to <paramref name="sink"/>, stamped by <paramref name="timeProvider"/> (default the system's).</summary>
    public VigilFeedback(IInteractionSink sink, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>👍 on the interaction <paramref name="traceId"/>. False when the sink dropped it (or keeps none).</summary>
    /// <exception cref="ArgumentException">An argument breaks the contract (empty or too long).</exception>
    public bool ThumbsUp(string traceId, string? feature = null, string? userId = null) =>
        Thumbs(traceId, 1, feature, userId);

    /// <summary>👎 on the interaction <paramref name="traceId"/>. False when the sink dropped it (or keeps none).</summary>
    /// <exception cref="ArgumentException">An argument breaks the contract (empty or too long).</exception>
    public bool ThumbsDown(string traceId, string? feature = null, string? userId = null) =>
        Thumbs(traceId, 0, feature, userId);

    /// <summary>A 1-5 star rating of the interaction <paramref name="traceId"/>. False when the sink dropped it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stars"/> is not 1 to 5.</exception>
    /// <exception cref="ArgumentException">Another argument breaks the contract.</exception>
    public bool Rating(string traceId, int stars, string? feature = null, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(stars, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stars, 5);
        return Send(FeedbackType.Rating, stars, null, traceId, feature, userId);
    }

    /// <summary>A CSAT survey answer, 1-5, optionally about one interaction. False when the sink dropped it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not 1 to 5.</exception>
    /// <exception cref="ArgumentException">Another argument breaks the contract.</exception>
    public bool Csat(int score, string? traceId = null, string? feature = null, string? userId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(score, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, 5);
        return Send(FeedbackType.Csat, score, null, traceId, feature, userId);
    }

    /// <summary>An NPS survey answer, 0-10, optionally about one interaction. False when the sink dropped it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not 0 to 10.</exception>
    /// <exception cref="ArgumentException">Another argument breaks the contract.</exception>
    public bool Nps(int score, string? traceId = null, string? feature = null, string? userId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(score);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, 10);
        return Send(FeedbackType.Nps, score, null, traceId, feature, userId);
    }

    /// <summary>Free text (at most 4000 characters), optionally about one interaction. False when the sink dropped it.</summary>
    /// <exception cref="ArgumentException"><paramref name="comment"/> is blank or too long, or another argument breaks the contract.</exception>
    public bool Text(string comment, string? traceId = null, string? feature = null, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(comment);
        return Send(FeedbackType.Text, null, comment, traceId, feature, userId);
    }

    /// <summary>
    /// Any feedback record, checked against the contract; without a timestamp it is stamped now. False when the sink
    /// dropped it (or keeps none).
    /// </summary>
    /// <exception cref="ArgumentException">The record breaks the contract; the message names the field.</exception>
    public bool Record(FeedbackRecord feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var errors = RecordValidator.Validate(feedback);
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"The feedback breaks the contract: {string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}"))}.", nameof(feedback));
        }

        if (feedback.TraceId?.Contains('\0', StringComparison.Ordinal) == true)
        {
            throw new ArgumentException("The feedback's trace_id must not contain the character U+0000.", nameof(feedback));
        }

        return _sink.Emit(feedback.Timestamp is null ? feedback with { Timestamp = _time.GetUtcNow() } : feedback);
    }

    private bool Thumbs(string traceId, int value, string? feature, string? userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return Send(FeedbackType.Thumbs, value, null, traceId, feature, userId);
    }

    private bool Send(FeedbackType type, double? value, string? comment, string? traceId, string? feature, string? userId)
    {
        var record = new FeedbackRecord { Type = type, Value = value, Comment = comment, TraceId = traceId, UserId = userId };
        return Record(feature is null ? record : record with { Feature = feature });
    }
}
