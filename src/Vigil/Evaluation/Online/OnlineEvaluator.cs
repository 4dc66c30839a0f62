using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Evaluation.Judge;
using Vigil.Metrics;
using Vigil.Records;

namespace Vigil.Evaluation.Online;

/// <summary>
/// The online LLM judge (seed §6): stored interactions are offered to it, a deterministic sample of them and every
/// disliked one wait in a bounded queue, and a fixed number of workers judge them (the judge has its own timeouts
/// and retries with backoff). It never blocks nor fails the caller: when the queue is full an offer is dropped and
/// counted (<c>vigil_judge_queue_dropped_total</c>). Each verdict is handed to a callback that stores it.
/// </summary>
public sealed partial class OnlineEvaluator : IAsyncDisposable
{
    private const int RecentCapacity = 10_000;
    private readonly LlmJudge _judge;
    private readonly OnlineEvaluationOptions _options;
    private readonly Func<EvaluationRecord, CancellationToken, Task> _onVerdict;
    private readonly VigilMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<InteractionRecord> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _recentLock = new();
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private Task[] _workers = [];
    private long _dropped;
    private long _judged;
    private long _failed;
    private int _disposed;

    /// <summary>Creates the evaluator; <see cref="Start"/> starts its workers.</summary>
    /// <param name="judge">The judge.</param>
    /// <param name="options">Sampling, queue and concurrency; validated here.</param>
    /// <param name="onVerdict">Stores a verdict (called by the workers, one verdict at a time per worker).</param>
    /// <param name="metrics">Where the dropped counter goes.</param>
    /// <param name="logger">Logs failures to store a verdict.</param>
    public OnlineEvaluator(LlmJudge judge, OnlineEvaluationOptions options, Func<EvaluationRecord, CancellationToken, Task> onVerdict,
        VigilMetrics metrics, ILogger<OnlineEvaluator>? logger = null)
    {
        _judge = judge ?? throw new ArgumentNullException(nameof(judge));
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        _options = options;
        _onVerdict = onVerdict ?? throw new ArgumentNullException(nameof(onVerdict));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Sampler = new EvaluationSampler(options.SampleRate);
        _queue = Channel.CreateBounded<InteractionRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once, so the offer is dropped and counted
        });
    }

    /// <summary>The sampler.</summary>
    public EvaluationSampler Sampler { get; }

    /// <summary>Offers dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Verdicts stored.</summary>
    public long Judged => Interlocked.Read(ref _judged);

    /// <summary>Judge calls that gave no verdict, or verdicts that could not be stored.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Starts the workers.</summary>
    public void Start()
    {
        if (_workers.Length > 0)
        {
            return;
        }

        _workers = [.. Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Queues a stored interaction when it is in the sample. Returns whether it was queued.</summary>
    public bool Offer(InteractionRecord interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.Response is not null && Sampler.IsSampled(interaction.TraceId) && Enqueue(interaction);
    }

    /// <summary>Queues an interaction a user disliked, whatever the sample, unless it was judged recently.</summary>
    public bool OfferDisliked(InteractionRecord interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return _options.EvaluateDisliked && interaction.Response is not null && Enqueue(interaction);
    }

    /// <summary>Stops taking work, cancels the calls in flight and waits for the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private bool Enqueue(InteractionRecord interaction)
    {
        lock (_recentLock)
        {
            // The same trace is judged once: a sampled interaction that is then disliked, or one sent again.
            if (!_recent.Add(interaction.TraceId))
            {
                return false;
            }

            _recentOrder.Enqueue(interaction.TraceId);
            if (_recentOrder.Count > RecentCapacity)
            {
                _recent.Remove(_recentOrder.Dequeue());
            }
        }

        if (_queue.Writer.TryWrite(interaction))
        {
            return true;
        }

        lock (_recentLock)
        {
            _recent.Remove(interaction.TraceId); // not judged: a later offer may still be
        }

        Interlocked.Increment(ref _dropped);
        _metrics.JudgeQueueDropped.Add(1);
        return false;
    }

    private async Task WorkAsync()
    {
        var token = _stop.Token;
        await foreach (var interaction in _queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            JudgeResult result;
            try
            {
                result = await _judge.JudgeAsync(interaction, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }

            if (!result.Succeeded)
            {
                Interlocked.Increment(ref _failed);
                LogJudgeFailed(_logger, interaction.TraceId, result.Error.Label);
                continue;
            }

            try
            {
                await _onVerdict(result.Evaluation, token).ConfigureAwait(false);
                Interlocked.Increment(ref _judged);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A verdict that cannot be stored is counted and logged; the worker goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failed);
                LogStoreFailed(_logger, interaction.TraceId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The judge gave no verdict on trace {TraceId}: {Reason}.")]
    private static partial void LogJudgeFailed(ILogger logger, string traceId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The verdict on trace {TraceId} could not be stored.")]
    private static partial void LogStoreFailed(ILogger logger, string traceId, Exception exception);
}
