using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vigil.Metrics;
using Vigil.Records;

namespace Vigil.Sinks;

/// <summary>
/// Sends an app's interactions and feedback to a collector (<c>vigil serve</c>): <c>POST v1/interactions</c> and
/// <c>POST v1/feedback</c> in batches, from a bounded buffer, on background tasks, so <c>Emit</c> never waits and never
/// throws. A batch leaves when it is full (<see cref="CollectorOptions.BatchSize"/>) or
/// <see cref="CollectorOptions.FlushInterval"/> after its first record; it is retried with backoff (and
/// <c>Retry-After</c>) under one <c>Idempotency-Key</c> until the collector answers for it, while newer records wait in
/// the buffer. What finds the buffer full, what the collector refuses (a 4xx other than 408 and 429), and what is left
/// when a stop's wait runs out are dropped and counted in <c>vigil_sink_dropped_total</c>.
/// Enabled only when <see cref="CollectorOptions.Endpoint"/> is set.
/// </summary>
public sealed partial class CollectorSink : IInteractionSink, IAsyncDisposable, IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> (from <see cref="IHttpClientFactory"/>) the sink posts with.</summary>
    public const string HttpClientName = "Vigil.Collector";

    private static class Reasons
    {
        public const string BufferFull = "buffer_full";
        public const string Rejected = "rejected";
        public const string Invalid = "invalid";
        public const string Shutdown = "shutdown";
        public const string Error = "error";
    }

    private readonly CollectorOptions _options;
    private readonly VigilMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CollectorPoster? _poster;
    private readonly CollectorLane<InteractionRecord>? _interactions;
    private readonly CollectorLane<FeedbackRecord>? _feedback;
    private readonly CancellationTokenSource _stopping = new();
    private long _dropped;
    private int _closed;
    private int _stopped;

    /// <summary>Validates <paramref name="options"/> and, when an endpoint is set, starts the background senders.</summary>
    /// <param name="options">Where and how to send.</param>
    /// <param name="httpClientFactory">Gives the client named <see cref="HttpClientName"/>, with its retries.</param>
    /// <param name="metrics">Where drops are counted; default the process-wide instance.</param>
    /// <param name="timeProvider">The clock of batching and shutdown waits; default the system's.</param>
    /// <param name="logger">Where refusals, retries and drops are logged (never record content or the API key).</param>
    /// <exception cref="ArgumentException">An option is out of range or the endpoint is not an absolute http(s) URL.</exception>
    public CollectorSink(IOptions<CollectorOptions> options, IHttpClientFactory httpClientFactory, VigilMetrics? metrics = null,
        TimeProvider? timeProvider = null, ILogger<CollectorSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _options = options.Value;
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(_options, new ValidationContext(_options), errors, validateAllProperties: true))
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.ErrorMessage)), nameof(options));
        }

        _metrics = metrics ?? VigilMetrics.Shared;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        if (!_options.IsEnabled)
        {
            return;
        }

        _poster = new CollectorPoster(httpClientFactory, _options, _time, _logger);
        _interactions = new("interaction", "v1/interactions", "interactions", VigilJsonContext.Default.InteractionRecord, NewQueue<InteractionRecord>());
        _feedback = new("feedback", "v1/feedback", "feedback", VigilJsonContext.Default.FeedbackRecord, NewQueue<FeedbackRecord>());

        // The senders must not inherit the caller's ambient state (an Activity, an AsyncLocal) for the app's lifetime.
        using (ExecutionContext.SuppressFlow())
        {
            _interactions.Pump = Task.Run(() => PumpAsync(_interactions));
            _feedback.Pump = Task.Run(() => PumpAsync(_feedback));
        }
    }

    /// <inheritdoc />
    public bool IsEnabled => _poster is not null;

    /// <summary>Records dropped so far: buffer full, refused by the collector, or not sent before a stop's wait ran out.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records taken and not yet settled (waiting, or in a batch being sent).</summary>
    public int Pending => (_interactions?.Queue.Held ?? 0) + (_feedback?.Queue.Held ?? 0);

    /// <inheritdoc />
    public bool Emit(InteractionRecord record) => _interactions is { } lane && Add(lane, record);

    /// <inheritdoc />
    public bool Emit(FeedbackRecord feedback) => _feedback is { } lane && Add(lane, feedback);

    /// <summary>
    /// Takes no more records, sends what is buffered, and waits for it at most <see cref="CollectorOptions.ShutdownTimeout"/>
    /// or until <paramref name="cancellationToken"/> fires; what is still unsent then is dropped and counted.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_interactions is null || _feedback is null)
        {
            return;
        }

        Volatile.Write(ref _closed, 1);
        _interactions.Queue.Complete();
        _feedback.Queue.Complete();
        var pumps = Task.WhenAll(_interactions.Pump, _feedback.Pump);
        try
        {
            await pumps.WaitAsync(_options.ShutdownTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await pumps.ConfigureAwait(false); // they end at once, dropping what is left
        }

        if (Interlocked.Exchange(ref _stopped, 1) == 0 && Dropped > 0)
        {
            LogDroppedTotal(_logger, Dropped, _poster!.Collector);
        }
    }

    /// <summary>Stops as <see cref="StopAsync"/> does.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, blocking (for containers disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private BatchQueue<T> NewQueue<T>()
        where T : class =>
        new(_options.BufferCapacity, _options.BatchSize, _options.FlushInterval, _time);

    private bool Add<T>(CollectorLane<T> lane, T? record)
        where T : class
    {
        if (record is null)
        {
            return false;
        }

        if (lane.Queue.TryAdd(record))
        {
            return true;
        }

        if (Volatile.Read(ref _closed) != 0)
        {
            Drop(lane, 1, Reasons.Shutdown);
            return false;
        }

        Drop(lane, 1, Reasons.BufferFull);
        if (lane.MarkFull())
        {
            LogBufferFull(_logger, lane.Name, _options.BufferCapacity, _poster!.Collector);
        }

        return false;
    }

    private async Task PumpAsync<T>(CollectorLane<T> lane)
        where T : class
    {
        while (await lane.Queue.NextBatchAsync().ConfigureAwait(false) is { } batch)
        {
            var tally = new BatchTally();
            try
            {
                await _poster!.PostAsync(lane, batch, tally, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // Whatever goes wrong with one batch must not stop the sender.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                tally.Failed = batch.Count - tally.Settled;
                LogSendFailed(_logger, tally.Failed, lane.Name, ex);
            }

            Drop(lane, tally.Rejected, Reasons.Rejected);
            Drop(lane, tally.Invalid, Reasons.Invalid);
            Drop(lane, tally.Failed, Reasons.Error);
            Drop(lane, batch.Count - tally.Settled, Reasons.Shutdown);
            lane.Queue.Release(batch.Count);
            if (tally.Accepted > 0)
            {
                lane.MarkRoom();
            }

            if (_stopping.IsCancellationRequested)
            {
                Drop(lane, lane.Queue.DrainAll(), Reasons.Shutdown);
            }
        }
    }

    private void Drop<T>(CollectorLane<T> lane, int count, string reason)
        where T : class
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _dropped, count);
        if (_metrics.SinkDropped.Enabled)
        {
            _metrics.SinkDropped.Add(count, new KeyValuePair<string, object?>(MetricTags.Record, lane.Name), new KeyValuePair<string, object?>(MetricTags.Reason, reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The {Record} buffer for the collector at {Collector} is full ({Capacity} records): new records are dropped until it has room.")]
    private static partial void LogBufferFull(ILogger logger, string record, int capacity, string collector);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending {Count} {Record} record(s) failed; they are dropped.")]
    private static partial void LogSendFailed(ILogger logger, int count, string record, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} record(s) meant for the collector at {Collector} were dropped while this sink ran (vigil_sink_dropped_total).")]
    private static partial void LogDroppedTotal(ILogger logger, long count, string collector);
}
