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
    // A request waits for the group being committed and then its own, so groups are kept short.
    private const int MaxRecordsPerCommit = 4_000;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly Channel<Stored> _stored = Channel.CreateBounded<Stored>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
    private readonly IVigilStore _store;
    private readonly SignalPipeline _pipeline;
    private readonly ILogger<IngestWriter> _logger;
    private readonly bool _serializeOnCaller;

    /// <summary>Creates the writer.</summary>
    public IngestWriter(IVigilStore store, SignalPipeline pipeline, ILogger<IngestWriter> logger)
    {
        _store = store;
        _pipeline = pipeline;
        _logger = logger;

        // The SQLite store has one writer thread: the JSON is made on the request threads, which run in parallel.
        _serializeOnCaller = store is SqliteVigilStore;
    }

    /// <summary>Commits <paramref name="records"/>; completes when they are durable.</summary>
    public async Task WriteAsync(IReadOnlyList<InteractionRecord> records, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(_serializeOnCaller ? SerializedInteractions.Of(records) : records, null);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Commits <paramref name="records"/>; completes when they are durable.</summary>
    public async Task WriteAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(null, records);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Completes when every record acknowledged so far has reached the signal pipeline.</summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        var marker = new Stored(null, null, null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
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
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                var count = 0;
                while (count < MaxRecordsPerCommit && reader.TryRead(out var next))
                {
                    group.Add(next);
                    count += next.Count;
                }

                await CommitAsync(group).ConfigureAwait(false);
                group.Clear();
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

    private async Task CommitAsync(List<PendingWrite> group)
    {
        var interactions = group.Where(p => p.Interactions is not null).ToList();
        var feedback = group.Where(p => p.Feedback is not null).ToList();
        if (interactions.Count > 0 && !await TryCommitInteractionsAsync(interactions).ConfigureAwait(false))
        {
            // One request's data may have failed the whole group: retry each request alone, so only that one fails.
            foreach (var request in interactions.Where(_ => interactions.Count > 1))
            {
                await TryCommitInteractionsAsync([request]).ConfigureAwait(false);
            }
        }

        if (feedback.Count > 0 && !await TryCommitFeedbackAsync(feedback).ConfigureAwait(false))
        {
            foreach (var request in feedback.Where(_ => feedback.Count > 1))
            {
                await TryCommitFeedbackAsync([request]).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryCommitInteractionsAsync(List<PendingWrite> requests)
    {
        try
        {
            var all = requests.Count == 1 ? requests[0].Interactions!
                : requests[0].Interactions is SerializedInteractions ? SerializedInteractions.Concat([.. requests.Select(p => (SerializedInteractions)p.Interactions!)])
                : [.. requests.SelectMany(p => p.Interactions!)];
            var replaced = await _store.UpsertInteractionsAsync(all, CancellationToken.None).ConfigureAwait(false);
            requests.ForEach(p => p.Done.TrySetResult());
            await _stored.Writer.WriteAsync(new Stored(all, replaced, null, null)).ConfigureAwait(false);
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

    private async Task<bool> TryCommitFeedbackAsync(List<PendingWrite> requests)
    {
        try
        {
            var all = requests.SelectMany(p => p.Feedback!).ToList();
            await _store.AddFeedbackAsync(all, CancellationToken.None).ConfigureAwait(false);
            requests.ForEach(p => p.Done.TrySetResult());
            await _stored.Writer.WriteAsync(new Stored(null, null, all, null)).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The signal pipeline failed on committed records.")]
    private static partial void LogPipelineFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store failed to commit a group of records.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);

    /// <summary>Committed records on their way to the signal pipeline, or a marker that completes when reached.</summary>
    private sealed record Stored(
        IReadOnlyList<InteractionRecord>? Interactions, IReadOnlyList<InteractionRecord?>? Replaced, List<FeedbackRecord>? Feedback, TaskCompletionSource? Settled);

    private sealed class PendingWrite(IReadOnlyList<InteractionRecord>? interactions, IReadOnlyList<FeedbackRecord>? feedback)
    {
        public IReadOnlyList<InteractionRecord>? Interactions { get; } = interactions;
        public IReadOnlyList<FeedbackRecord>? Feedback { get; } = feedback;
        public int Count => Interactions?.Count ?? Feedback?.Count ?? 0;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
