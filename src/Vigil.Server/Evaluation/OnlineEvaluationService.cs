using System.Threading.Channels;
using Vigil.Evaluation.Online;
using Vigil.Records;
using Vigil.Server.Ingest;
using Vigil.Server.Storage;

namespace Vigil.Server.Evaluation;

/// <summary>
/// The collector's online judge: every committed interaction is offered to the <see cref="OnlineEvaluator"/> (it keeps
/// its sample); a disliked answer (👎, low rating or CSAT, NPS detractor) is judged whatever the sample, whether the
/// feedback comes after its interaction (looked up in the store) or before it (remembered until it arrives).
/// Verdicts are stored through the <see cref="IngestWriter"/> like any record, so they reach the report's quality
/// figures and the interaction lookup. The judge sees the interaction as stored: with content dropped there is
/// nothing to judge, and with content redacted it judges the redacted text.
/// </summary>
public sealed partial class OnlineEvaluationService : IHostedService, IIngestObserver, IAsyncDisposable
{
    private const int MaxWaitingDisliked = 10_000;
    private readonly IngestWriter _writer;
    private readonly IVigilStore _store;
    private readonly OnlineEvaluator _evaluator;
    private readonly ILogger<OnlineEvaluationService> _logger;
    private readonly Channel<string> _disliked = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _waitingLock = new();
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _lookups = Task.CompletedTask;

    /// <summary>Creates the service.</summary>
    public OnlineEvaluationService(IngestWriter writer, IVigilStore store, OnlineEvaluator evaluator, ILogger<OnlineEvaluationService> logger)
    {
        _writer = writer;
        _store = store;
        _evaluator = evaluator;
        _logger = logger;
    }

    /// <summary>The evaluator (for diagnostics and tests).</summary>
    public OnlineEvaluator Evaluator => _evaluator;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer.AddObserver(this);
        _evaluator.Start();
        _lookups = Task.Run(LookUpDislikedAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _disliked.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _lookups.ConfigureAwait(false);
        await _evaluator.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disliked.Writer.TryComplete();
        await _evaluator.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void OnInteractionsStored(IReadOnlyList<InteractionRecord> stored)
    {
        foreach (var interaction in stored)
        {
            bool wasDisliked;
            lock (_waitingLock)
            {
                wasDisliked = _waiting.Count > 0 && _waiting.Remove(interaction.TraceId);
            }

            _ = wasDisliked ? _evaluator.OfferDisliked(interaction) : _evaluator.Offer(interaction);
        }
    }

    /// <inheritdoc />
    public void OnFeedbackStored(IReadOnlyList<FeedbackRecord> stored)
    {
        foreach (var feedback in stored)
        {
            if (feedback.TraceId is { } traceId && EvaluationSampler.IsNegative(feedback))
            {
                _disliked.Writer.TryWrite(traceId);
            }
        }
    }

    /// <summary>Stores one verdict (the evaluator's callback).</summary>
    public static Func<EvaluationRecord, CancellationToken, Task> StoreThrough(IngestWriter writer) =>
        (evaluation, cancellationToken) => writer.WriteAsync([evaluation], cancellationToken);

    private async Task LookUpDislikedAsync()
    {
        try
        {
            await foreach (var traceId in _disliked.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                InteractionRecord? interaction;
                try
                {
                    interaction = await _store.GetInteractionAsync(traceId, _stop.Token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed lookup costs one judgement, never the loop.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogLookupFailed(_logger, traceId, ex);
                    continue;
                }

                if (interaction is not null)
                {
                    _evaluator.OfferDisliked(interaction);
                    continue;
                }

                lock (_waitingLock)
                {
                    // Feedback before its interaction: judge the interaction when it comes.
                    if (_waiting.Count < MaxWaitingDisliked)
                    {
                        _waiting.Add(traceId);
                    }
                }

                // It may have been committed between the lookup and now: look once more.
                if (await _store.GetInteractionAsync(traceId, _stop.Token).ConfigureAwait(false) is { } arrived)
                {
                    bool stillWaiting;
                    lock (_waitingLock)
                    {
                        stillWaiting = _waiting.Remove(traceId);
                    }

                    if (stillWaiting)
                    {
                        _evaluator.OfferDisliked(arrived);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up the disliked interaction {TraceId} for the judge.")]
    private static partial void LogLookupFailed(ILogger logger, string traceId, Exception exception);
}
