using Vigil.Records;
using Vigil.Reports.FastReading;

namespace Vigil.Reports;

/// <summary>
/// Computes a <see cref="SignalAggregate"/> from JSON Lines files (<c>vigil report</c>) in memory that stays flat as the
/// file grows: the file is streamed in blocks, parsed on every core, and summed per worker. A repeated trace_id replaces
/// the earlier record (the last line wins). A bad line is reported with its number and the lines around it are kept.
/// The speed of it (a fast line reader, string tables, huge pages, prefetching) stays in <see cref="FastReading"/>.
/// </summary>
public sealed class JsonlReportReader
{
    private readonly InteractionFileReader _interactions;

    // The read blocks, shared by every pass and file this reader reads (each run over a file needs the same few).
    private readonly BlockBuffers _buffers = new();

    /// <summary>Creates a reader.</summary>
    public JsonlReportReader(InteractionNormalizer normalizer, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        _interactions = new InteractionFileReader(normalizer, Math.Max(1, workers ?? Environment.ProcessorCount), _buffers);
    }

    /// <summary>Sums the interactions of <paramref name="path"/> with from ≤ timestamp &lt; to.</summary>
    public Task<SignalAggregate> ReadInteractionsAsync(string path, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onError);
        return _interactions.ReadAsync(path, from, to, onError, cancellationToken);
    }

    /// <summary>Adds the feedback of <paramref name="path"/> with from ≤ timestamp &lt; to (undated feedback counts) to <paramref name="into"/>.</summary>
    public Task ReadFeedbackAsync(string path, SignalAggregate into, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, CancellationToken cancellationToken = default) =>
        ReadSmallAsync(path, into, onError, (aggregate, line, number) =>
        {
            var result = RecordParser.ParseFeedback(line);
            if (result.Record is not { } record)
            {
                return string.Join("; ", result.Errors);
            }

            if (record.Timestamp is not { } ts || ((from is null || ts >= from) && (to is null || ts < to)))
            {
                aggregate.Add(record);
            }

            return null;
        }, cancellationToken);

    /// <summary>
    /// Adds the evaluations of <paramref name="path"/> with from ≤ evaluated_at &lt; to (undated ones count) to
    /// <paramref name="into"/>, and hands each one counted, in file order, to <paramref name="each"/>.
    /// </summary>
    public Task ReadEvaluationsAsync(string path, SignalAggregate into, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, Action<EvaluationRecord>? each = null, CancellationToken cancellationToken = default) =>
        ReadSmallAsync(path, into, onError, (aggregate, line, number) =>
        {
            var result = RecordParser.ParseEvaluation(line);
            if (result.Record is not { } record)
            {
                return string.Join("; ", result.Errors);
            }

            if (record.EvaluatedAt is not { } ts || ((from is null || ts >= from) && (to is null || ts < to)))
            {
                aggregate.Add(record);
                each?.Invoke(record);
            }

            return null;
        }, cancellationToken);

    private async Task ReadSmallAsync(string path, SignalAggregate into, Action<LineError> onError,
        Func<SignalAggregate, ReadOnlySpan<byte>, long, string?> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(onError);
        var gate = new Lock();
        await LineBlockReader.ForEachLineAsync(path, 1, _buffers, (_, line, number) =>
        {
            lock (gate)
            {
                if (handle(into, line, number) is { } error)
                {
                    onError(new LineError(path, number, error));
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
