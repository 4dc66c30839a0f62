using Vigil.Server.Storage;

namespace Vigil.Server.Drift;

// The restore: the sets rebuilt from the store at start, so a restart keeps them.
public sealed partial class EmbeddingDriftWatch
{
    private static readonly TimeSpan FutureSlack = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FirstRestoreWindow = TimeSpan.FromMinutes(1);

    /// <summary>The most records the restore on start reads.</summary>
    internal const int MaxRestoreRecords = 250_000;

    /// <summary>
    /// The restore first reads up to this many of the newest records of the span; when none gives the watch anything
    /// (no embedding, nor query text for the local model), the app is taken not to send embeddings and nothing more is
    /// read. The watch is on by default, and such a collector must start about as fast as without it.
    /// </summary>
    internal const int RestoreProbeRecords = 1_000;

    /// <summary>
    /// Rebuilds the sets from the store: the first embeddings of the span make the reference (unless pinned), the most
    /// recent after them the current set. The newest records are read first, in windows that double from a minute,
    /// so a busy store is read only about as far back as the current set needs. At most <see cref="MaxRestoreRecords"/>
    /// records are read in all, and only <see cref="RestoreProbeRecords"/> when the newest of them carry no embedding,
    /// so that a store of records without embeddings cannot hold the start up.
    /// </summary>
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_options.RestoreSpan <= TimeSpan.Zero)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var store = _store!;
        var now = _time.GetUtcNow();
        var from = now - _options.RestoreSpan;
        var to = now + FutureSlack;
        var read = 0;
        var referenceIds = new HashSet<string>(StringComparer.Ordinal);
        var referenceFull = _pinned;
        if (!await HoldsWatchedRecordsAsync(store, from, to, cancellationToken).ConfigureAwait(false))
        {
            LogNothingToRestore(_logger, RestoreProbeRecords, clock.ElapsedMilliseconds);
            return;
        }

        if (!_pinned)
        {
            await foreach (var record in store.ReadInteractionsAsync(from, to, cancellationToken).ConfigureAwait(false))
            {
                if (TryTake(record) is { } item && Accept(item))
                {
                    referenceIds.Add(record.TraceId);
                }

                if (ReferenceReserved() >= _buffers.ReferenceSize)
                {
                    referenceFull = true;
                    from = record.Timestamp;
                    break;
                }

                if (++read >= MaxRestoreRecords)
                {
                    break;
                }
            }
        }

        var windows = new List<Queue<Item>>();
        var need = referenceFull ? _buffers.CurrentSize : 0;
        var end = to;
        var length = FirstRestoreWindow;
        while (need > 0 && end > from && read < MaxRestoreRecords)
        {
            var start = end - length > from ? end - length : from;
            var newest = new Queue<Item>();
            await foreach (var record in store.ReadInteractionsAsync(start, end, cancellationToken).ConfigureAwait(false))
            {
                if (!referenceIds.Contains(record.TraceId) && TryTake(record) is { } item)
                {
                    newest.Enqueue(item);
                    if (newest.Count > need)
                    {
                        newest.Dequeue();
                    }
                }

                if (++read >= MaxRestoreRecords)
                {
                    break;
                }
            }

            windows.Add(newest);
            need -= newest.Count;
            end = start;
            length *= 2;
        }

        for (var i = windows.Count - 1; i >= 0; i--)
        {
            foreach (var item in windows[i])
            {
                Accept(item);
            }
        }

        int referenceCount, currentCount, texts;
        lock (_gate)
        {
            referenceCount = _buffers.ReferenceCount;
            currentCount = _buffers.CurrentCount;
            texts = _referenceTexts.Count + _currentTexts.Count;
        }

        LogRestored(_logger, referenceCount, currentCount, texts, read, clock.ElapsedMilliseconds, read >= MaxRestoreRecords ? " (the most it reads; older records were not read)" : string.Empty);
    }

    /// <summary>True when one of the newest <see cref="RestoreProbeRecords"/> records of the span gives the watch something.</summary>
    private async Task<bool> HoldsWatchedRecordsAsync(IVigilStore store, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var read = 0;
        var end = to;
        var length = FirstRestoreWindow;
        while (end > from && read < RestoreProbeRecords)
        {
            var start = end - length > from ? end - length : from;
            await foreach (var record in store.ReadInteractionsAsync(start, end, cancellationToken).ConfigureAwait(false))
            {
                if (TryTake(record) is not null)
                {
                    return true;
                }

                if (++read >= RestoreProbeRecords)
                {
                    break;
                }
            }

            end = start;
            length *= 2;
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding drift: none of the newest {Records} records of the restore span carries an embedding; nothing restored ({Milliseconds} ms).")]
    private static partial void LogNothingToRestore(ILogger logger, int records, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding drift restored from the store: {ReferenceCount} reference and {CurrentCount} current vectors, {Texts} texts to embed, from {Records} records read in {Milliseconds} ms{Note}.")]
    private static partial void LogRestored(ILogger logger, int referenceCount, int currentCount, int texts, int records, long milliseconds, string note);
}
