using System.Threading.Channels;
using Vigil.Records;
using Vigil.Server.Storage;
using Vigil.Signals;

namespace Vigil.Server.Ingest;

/// <summary>
/// The one writer: requests hand their valid records over and wait; the writer commits the records of
/// every request waiting at that moment in one store transaction (group commit) and releases the requests
/// as soon as the commit returns: a request is answered 202 only after its records are committed.
/// The committed records then go, in commit order, to a second stage that feeds the signal pipeline
/// (window, ledger, metrics), so the writer never waits for it; reads of those figures call
/// <see cref="SettleAsync"/> first and see every acknowledged record. Both queues are bounded, so a flood
/// waits instead of growing memory.
/// </summary>
public sealed partial class IngestWriter : BackgroundService
{
    // A request waits for the group being committed and then its own, so groups are kept short: 1,000 (two requests of
    // 500) gave a p99 of 71-106 ms at 50,000 records/s against 95-123 ms with 2,000 when requests came in bursts, at the
    // same closed-loop throughput.
    // It also keeps the store's per-commit arrays (the id probe, the batch's dictionary) off the large object heap.
    private const int MaxRecordsPerCommit = 1_000;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly Channel<Stored> _stored = Channel.CreateBounded<Stored>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
    private readonly IVigilStore _store;
    private readonly SignalPipeline _pipeline;
    private readonly ILogger<IngestWriter> _logger;
    private readonly bool _serializeOnCaller;
    private IIngestObserver[] _observers = [];
    private long _upkeepAfter;

    /// <summary>Creates the writer.</summary>
    public IngestWriter(IVigilStore store, SignalPipeline pipeline, ILogger<IngestWriter> logger)
    {
        _store = store;
        _pipeline = pipeline;
        _logger = logger;

        // The SQLite store has one writer thread: the JSON is made on the request threads, which run in parallel.
        _serializeOnCaller = store is SqliteVigilStore;
    }

    /// <summary>
    /// Commits <paramref name="records"/>, and with them <paramref name="idempotencyKey"/> if given; completes when they
    /// are durable. When the key was seen before on this endpoint, nothing is stored and the result is the accepted
    /// count remembered with it; otherwise the result is null.
    /// </summary>
    public Task<int?> WriteAsync(IReadOnlyList<InteractionRecord> records, string? idempotencyKey, CancellationToken cancellationToken) =>
        EnqueueAsync(new PendingWrite(_serializeOnCaller ? SerializedInteractions.Of(records) : records, null, key: idempotencyKey), cancellationToken);

    /// <summary>
    /// Commits <paramref name="records"/>, and with them <paramref name="idempotencyKey"/> if given; completes when they
    /// are durable. When the key was seen before on this endpoint, nothing is stored and the result is the accepted
    /// count remembered with it; otherwise the result is null.
    /// </summary>
    public Task<int?> WriteAsync(IReadOnlyList<FeedbackRecord> records, string? idempotencyKey, CancellationToken cancellationToken) =>
        EnqueueAsync(new PendingWrite(null, records, key: idempotencyKey), cancellationToken);

    /// <summary>Commits verdicts of the judge; completes when they are durable.</summary>
    public Task WriteAsync(IReadOnlyList<EvaluationRecord> records, CancellationToken cancellationToken) =>
        EnqueueAsync(new PendingWrite(null, null, records), cancellationToken);

    /// <summary>
    /// Adds an observer told of every committed record, in commit order, after the signal pipeline. It is called on the
    /// one thread that feeds the pipeline, so it must return quickly. Add observers before the first write.
    /// </summary>
    public void AddObserver(IIngestObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers = [.. _observers, observer];
    }

    /// <summary>Completes when every record acknowledged so far has reached the signal pipeline.</summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        var marker = new Stored(null, null, null, null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            if (!_stored.Writer.TryWrite(marker))
            {
                await _stored.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChannelClosedException)
        {
            return; // shutting down: nothing more will reach the pipeline
        }

        await marker.Settled!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var feeding = Task.Run(FeedPipelineAsync, CancellationToken.None);
        try
        {
            await WriteLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _stored.Writer.TryComplete();
            await feeding.ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var group = new List<PendingWrite>();
        try
        {
            while (true)
            {
                var count = 0;
                while (count < MaxRecordsPerCommit && reader.TryRead(out var next))
                {
                    group.Add(next);
                    count += next.Count;
                }

                if (group.Count > 0)
                {
                    await CommitAsync(group).ConfigureAwait(false);
                    group.Clear();
                }
                else if (_store is IStoreUpkeep { UpkeepReady: true } upkeep && Environment.TickCount64 >= _upkeepAfter)
                {
                    // Nothing is waiting: the store's deferrable work runs now, a short piece at a time. (Work that becomes
                    // ready while the queue is empty, a finished sort say, waits for the next request; nothing needs it sooner.)
                    await RunUpkeepAsync(upkeep, stoppingToken).ConfigureAwait(false);
                }
                else if (!await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Requests still queued at shutdown are not acknowledged.
        while (reader.TryRead(out var left))
        {
            left.Done.TrySetException(new OperationCanceledException("The collector is shutting down."));
        }
    }

    private async Task RunUpkeepAsync(IStoreUpkeep upkeep, CancellationToken stoppingToken)
    {
        try
        {
            await upkeep.RunUpkeepAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing acknowledged depends on it: try again in a second (past 1.5 times its threshold the commits carry it).
            LogUpkeepFailed(_logger, ex);
            _upkeepAfter = Environment.TickCount64 + 1000;
        }
    }

    private async Task<int?> EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Done.Task.ConfigureAwait(false);
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        await CommitKindAsync([.. group.Where(p => p.Interactions is not null)], IdempotencyScope.Interactions, CommitInteractionsAsync).ConfigureAwait(false);
        await CommitKindAsync([.. group.Where(p => p.Feedback is not null)], IdempotencyScope.Feedback, CommitFeedbackAsync).ConfigureAwait(false);
        await CommitKindAsync([.. group.Where(p => p.Evaluations is not null)], null, CommitEvaluationsAsync).ConfigureAwait(false);
    }

    private async Task CommitKindAsync(List<PendingWrite> requests, IdempotencyScope? scope, Func<List<PendingWrite>, List<IdempotencyKey>, Task<Stored>> commit)
    {
        if (requests.Count > 0 && !await TryCommitAsync(requests, scope, commit).ConfigureAwait(false))
        {
            // One request's data may have failed the whole group: retry each request alone, so only that one fails.
            // (A key committed meanwhile by another collector fails a group too; alone, its request finds the key.)
            foreach (var request in requests.Where(r => requests.Count > 1 && !r.Done.Task.IsCompleted))
            {
                await TryCommitAsync([request], scope, commit).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryCommitAsync(
        List<PendingWrite> requests, IdempotencyScope? scope, Func<List<PendingWrite>, List<IdempotencyKey>, Task<Stored>> commit)
    {
        try
        {
            var (fresh, keys, repeats) = await SortOutRepeatsAsync(requests, scope).ConfigureAwait(false);
            var stored = fresh.Count > 0 ? await commit(fresh, keys).ConfigureAwait(false) : null;
            fresh.ForEach(p => p.Done.TrySetResult(null));
            repeats.ForEach(r => r.Repeat.Done.TrySetResult(r.First.Count));
            if (stored is not null)
            {
                await _stored.Writer.WriteAsync(stored).ConfigureAwait(false);
            }

            return true;
        }
#pragma warning disable CA1031 // A store failure fails these requests (503), not the writer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCommitFailed(_logger, ex);
            if (requests.Count == 1)
            {
                requests[0].Done.TrySetException(new StoreUnavailableException("The store did not commit the records.", ex));
            }

            return false;
        }
    }

    // The requests to commit now, with the keys to remember: a request whose key the store remembers is answered with
    // the count remembered, and a second request with a key of the group is answered with the first one's, after it.
    private async Task<(List<PendingWrite> Fresh, List<IdempotencyKey> Keys, List<(PendingWrite Repeat, PendingWrite First)> Repeats)> SortOutRepeatsAsync(
        List<PendingWrite> requests, IdempotencyScope? scope)
    {
        if (scope is not { } keyScope || !requests.Exists(r => r.Key is not null))
        {
            return (requests, [], []);
        }

        var remembered = await _store.FindIdempotencyKeysAsync(
            keyScope, [.. requests.Where(r => r.Key is not null).Select(r => r.Key!).Distinct(StringComparer.Ordinal)], CancellationToken.None).ConfigureAwait(false);
        var fresh = new List<PendingWrite>(requests.Count);
        var keys = new List<IdempotencyKey>();
        var repeats = new List<(PendingWrite, PendingWrite)>();
        var firsts = new Dictionary<string, PendingWrite>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request.Key is not { } key)
            {
                fresh.Add(request);
            }
            else if (remembered.TryGetValue(key, out var accepted))
            {
                request.Done.TrySetResult(accepted);
            }
            else if (firsts.TryGetValue(key, out var first))
            {
                repeats.Add((request, first));
            }
            else
            {
                firsts.Add(key, request);
                fresh.Add(request);
                keys.Add(new IdempotencyKey(key, request.Count));
            }
        }

        return (fresh, keys, repeats);
    }

    private async Task<Stored> CommitInteractionsAsync(List<PendingWrite> requests, List<IdempotencyKey> keys)
    {
        var all = requests.Count == 1 ? requests[0].Interactions!
            : requests[0].Interactions is SerializedInteractions ? SerializedInteractions.Concat([.. requests.Select(p => (SerializedInteractions)p.Interactions!)])
            : [.. requests.SelectMany(p => p.Interactions!)];
        var replaced = await _store.UpsertInteractionsAsync(all, keys, CancellationToken.None).ConfigureAwait(false);
        return new Stored(all, replaced, null, null, null);
    }

    private async Task<Stored> CommitFeedbackAsync(List<PendingWrite> requests, List<IdempotencyKey> keys)
    {
        var all = requests.SelectMany(p => p.Feedback!).ToList();
        await _store.AddFeedbackAsync(all, keys, CancellationToken.None).ConfigureAwait(false);
        return new Stored(null, null, all, null, null);
    }

    private async Task<Stored> CommitEvaluationsAsync(List<PendingWrite> requests, List<IdempotencyKey> keys)
    {
        var all = requests.SelectMany(p => p.Evaluations!).ToList();
        await _store.AddEvaluationsAsync(all, CancellationToken.None).ConfigureAwait(false);
        return new Stored(null, null, null, all, null);
    }

    private async Task FeedPipelineAsync()
    {
        await foreach (var stored in _stored.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (stored.Interactions is { } interactions)
                {
                    for (var i = 0; i < interactions.Count; i++)
                    {
                        _pipeline.OnStored(interactions[i], stored.Replaced![i]);
                    }
                }

                stored.Feedback?.ForEach(_pipeline.OnStored);
                stored.Evaluations?.ForEach(_pipeline.OnStored);
                foreach (var observer in _observers)
                {
                    Notify(observer, stored);
                }
            }
#pragma warning disable CA1031 // The records are stored; a failure here must not stop the figures of later ones.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPipelineFailed(_logger, ex);
            }

            stored.Settled?.TrySetResult();
        }
    }

    private static void Notify(IIngestObserver observer, Stored stored)
    {
        if (stored.Interactions is { } interactions)
        {
            observer.OnInteractionsStored(interactions);
        }

        if (stored.Feedback is { } feedback)
        {
            observer.OnFeedbackStored(feedback);
        }

        if (stored.Evaluations is { } evaluations)
        {
            observer.OnEvaluationsStored(evaluations);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The signal pipeline failed on committed records.")]
    private static partial void LogPipelineFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store's upkeep (merging trace ids, or the WAL's last checkpoint pass) failed; it is retried.")]
    private static partial void LogUpkeepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store failed to commit a group of records.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);

    /// <summary>Committed records on their way to the signal pipeline, or a marker that completes when reached.</summary>
    private sealed record Stored(
        IReadOnlyList<InteractionRecord>? Interactions, IReadOnlyList<InteractionRecord?>? Replaced, List<FeedbackRecord>? Feedback,
        List<EvaluationRecord>? Evaluations, TaskCompletionSource? Settled);

    private sealed class PendingWrite(
        IReadOnlyList<InteractionRecord>? interactions, IReadOnlyList<FeedbackRecord>? feedback, IReadOnlyList<EvaluationRecord>? evaluations = null,
        string? key = null)
    {
        public IReadOnlyList<InteractionRecord>? Interactions { get; } = interactions;
        public IReadOnlyList<FeedbackRecord>? Feedback { get; } = feedback;
        public IReadOnlyList<EvaluationRecord>? Evaluations { get; } = evaluations;

        /// <summary>The request's Idempotency-Key, or null.</summary>
        public string? Key { get; } = key;

        public int Count => Interactions?.Count ?? Feedback?.Count ?? Evaluations?.Count ?? 0;

        /// <summary>Null when the records were committed; the remembered accepted count when the key was seen before.</summary>
        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
