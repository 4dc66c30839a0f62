using System.Threading.Channels;
using Vigil.Records;
using Vigil.Server.Storage;
using Vigil.Signals;

namespace Vigil.Server.Ingest;

/// <summary>
/// The one writer: requests hand their valid records over and wait; the writer commits the records of
/// every request waiting at that moment in one store transaction (group commit), then feeds the signal
/// pipeline and releases the requests. A request is answered 202 only after its records are committed.
/// The queue is bounded, so a flood waits instead of growing memory.
/// </summary>
public sealed partial class IngestWriter : BackgroundService
{
    private const int MaxRecordsPerCommit = 20_000;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly IVigilStore _store;
    private readonly SignalPipeline _pipeline;
    private readonly ILogger<IngestWriter> _logger;

    /// <summary>Creates the writer.</summary>
    public IngestWriter(IVigilStore store, SignalPipeline pipeline, ILogger<IngestWriter> logger)
    {
        _store = store;
        _pipeline = pipeline;
        _logger = logger;
    }

    /// <summary>Commits <paramref name="records"/>; completes when they are durable.</summary>
    public async Task WriteAsync(IReadOnlyList<InteractionRecord> records, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(records, null);
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

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
            var all = requests.Count == 1 ? requests[0].Interactions! : [.. requests.SelectMany(p => p.Interactions!)];
            var replaced = await _store.UpsertInteractionsAsync(all, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < all.Count; i++)
            {
                _pipeline.OnStored(all[i], replaced[i]);
            }

            requests.ForEach(p => p.Done.TrySetResult());
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
            all.ForEach(_pipeline.OnStored);
            requests.ForEach(p => p.Done.TrySetResult());
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The store failed to commit a group of records.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);

    private sealed class PendingWrite(IReadOnlyList<InteractionRecord>? interactions, IReadOnlyList<FeedbackRecord>? feedback)
    {
        public IReadOnlyList<InteractionRecord>? Interactions { get; } = interactions;
        public IReadOnlyList<FeedbackRecord>? Feedback { get; } = feedback;
        public int Count => Interactions?.Count ?? Feedback?.Count ?? 0;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
