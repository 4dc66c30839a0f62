using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Vigil.Metrics;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// The <see cref="IAlertStateChangeSink"/> of both hosts: each configured notifier (the generic webhook, Slack,
/// PagerDuty) takes the alerts at least as severe as its <c>MinSeverity</c> (PagerDuty: critical and high) into a bounded queue, and a background task delivers from it in order, one request per state change.
/// <see cref="Publish"/> only queues, so no alert evaluation, ingest or LLM call ever waits for a receiver. Retries
/// (exponential backoff with jitter, <c>Retry-After</c> obeyed, a timeout per attempt, for at most
/// <see cref="NotificationDeliveryOptions.MaxDeliveryTime"/>) happen in the <see cref="HttpClientName"/> client's
/// resilience handler; 429, 408, 5xx, timeouts and connection failures are retried, other 4xx are not. Every outcome
/// is counted in <c>vigil_notifications_total{notifier, outcome}</c>: <c>sent</c>, <c>failed</c> (refused, or given
/// up), <c>dropped</c> (queue full, or left when the host stopped). Logs name the notifier and the receiver's host,
/// never its URL, routing key or the body.
/// </summary>
public sealed partial class NotificationDispatcher : IAlertStateChangeSink, IAsyncDisposable, IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> (from <see cref="IHttpClientFactory"/>) notifications are posted with.</summary>
    public const string HttpClientName = "Vigil.Notifications";

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly NotificationDeliveryOptions _delivery;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly NotificationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NotifierLane[] _lanes;
    private readonly CancellationTokenSource _stopping = new();
    private int _stopped;

    /// <summary>Starts a delivery task for each notifier whose key is set in <paramref name="options"/>.</summary>
    /// <param name="options">The notifiers and how to deliver (validated when the host starts).</param>
    /// <param name="httpClientFactory">Gives the client named <see cref="HttpClientName"/>, with its retries.</param>
    /// <param name="metrics">Where outcomes are counted; default the process-wide instance.</param>
    /// <param name="timeProvider">The clock of the shutdown wait; default the system's.</param>
    /// <param name="logger">Where failures are logged (the notifier and host, never a secret).</param>
    public NotificationDispatcher(IOptions<NotificationOptions> options, IHttpClientFactory httpClientFactory, VigilMetrics? metrics = null,
        TimeProvider? timeProvider = null, ILogger<NotificationDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        var value = options.Value;
        _delivery = value.Delivery;
        _httpClientFactory = httpClientFactory;
        _metrics = new NotificationMetrics(metrics ?? VigilMetrics.Shared);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _lanes = [.. Notifier.Configured(value).Select(n => new NotifierLane(n, _delivery.QueueCapacity))];

        // The delivery tasks must not inherit the caller's ambient state (an Activity, an AsyncLocal) for the app's lifetime.
        using (ExecutionContext.SuppressFlow())
        {
            foreach (var lane in _lanes)
            {
                _metrics.Open(lane.Notifier.Name);
                LogNotifier(_logger, lane.Notifier.Name, lane.Notifier.Host);
                lane.Pump = Task.Run(() => PumpAsync(lane));
            }
        }
    }

    /// <summary>The names of the notifiers on (<c>webhook</c>, <c>slack</c>, <c>pagerduty</c>).</summary>
    public IReadOnlyList<string> Notifiers => [.. _lanes.Select(l => l.Notifier.Name)];

    /// <summary>State changes queued and not yet settled, over every notifier.</summary>
    public int Pending => _lanes.Sum(l => l.Queue.Reader.Count);

    /// <inheritdoc />
    public void Publish(AlertStateChange change)
    {
        if (change is null)
        {
            return;
        }

        foreach (var lane in _lanes)
        {
            if (!lane.Notifier.Takes(change) || lane.Queue.Writer.TryWrite(change))
            {
                continue;
            }

            _metrics.Count(lane.Notifier.Name, NotificationMetrics.Dropped);
            if (Volatile.Read(ref _stopped) == 0 && lane.MarkFull())
            {
                LogQueueFull(_logger, lane.Notifier.Name, _delivery.QueueCapacity, change.Name);
            }
        }
    }

    /// <summary>
    /// Takes no more state changes, delivers what is queued, and waits for it at most
    /// <see cref="NotificationDeliveryOptions.ShutdownTimeout"/> or until <paramref name="cancellationToken"/> fires;
    /// what is still undelivered then is dropped and counted.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await Task.WhenAll(_lanes.Select(l => l.Pump)).ConfigureAwait(false);
            return;
        }

        foreach (var lane in _lanes)
        {
            lane.Queue.Writer.TryComplete();
        }

        var pumps = Task.WhenAll(_lanes.Select(l => l.Pump));
        try
        {
            await pumps.WaitAsync(_delivery.ShutdownTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await pumps.ConfigureAwait(false); // they end at once, dropping what is left
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

    private async Task PumpAsync(NotifierLane lane)
    {
        var reader = lane.Queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                while (!_stopping.IsCancellationRequested && reader.TryRead(out var change))
                {
                    await DeliverAsync(lane, change).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }

        var left = 0;
        while (reader.TryRead(out _))
        {
            left++;
        }

        if (left > 0)
        {
            _metrics.Count(lane.Notifier.Name, NotificationMetrics.Dropped, left);
            LogDroppedAtStop(_logger, left, lane.Notifier.Name, _delivery.ShutdownTimeout);
        }
    }

    private async Task DeliverAsync(NotifierLane lane, AlertStateChange change)
    {
        var notifier = lane.Notifier;
        string outcome;
        try
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(notifier.Format(change));
            using var request = new HttpRequestMessage(HttpMethod.Post, notifier.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            using var client = _httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, _stopping.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                outcome = NotificationMetrics.Sent;
                lane.MarkRoom();
                LogSent(_logger, change.Name, Statuses[(int)change.Status], notifier.Name, notifier.Host);
            }
            else
            {
                outcome = NotificationMetrics.Failed;
                LogRefused(_logger, notifier.Name, notifier.Host, (int)response.StatusCode, change.Name, Statuses[(int)change.Status]);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            outcome = NotificationMetrics.Dropped;
            LogDroppedAtStop(_logger, 1, notifier.Name, _delivery.ShutdownTimeout);
        }
#pragma warning disable CA1031 // Whatever goes wrong with one notification must not stop the notifier.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The type says enough: a message may quote the URL.
            outcome = NotificationMetrics.Failed;
            if (ex is TimeoutRejectedException)
            {
                LogGaveUp(_logger, notifier.Name, notifier.Host, change.Name, Statuses[(int)change.Status], _delivery.MaxDeliveryTime);
            }
            else
            {
                LogFailed(_logger, notifier.Name, notifier.Host, change.Name, Statuses[(int)change.Status], ex.GetType().Name);
            }
        }

        _metrics.Count(notifier.Name, outcome);
    }

    private static readonly string[] Statuses = ["firing", "resolved"]; // by AlertStatus

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert notifications go to {Notifier} at {Host}.")]
    private static partial void LogNotifier(ILogger logger, string notifier, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notified {Alert} ({Status}) to {Notifier} at {Host}.")]
    private static partial void LogSent(ILogger logger, string alert, string status, string notifier, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Notifier} at {Host} refused the notification of {Alert} ({Status}) with {Code}; it is not retried.")]
    private static partial void LogRefused(ILogger logger, string notifier, string host, int code, string alert, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Notifier} at {Host} did not take the notification of {Alert} ({Status}) within {Limit}; it is given up.")]
    private static partial void LogGaveUp(ILogger logger, string notifier, string host, string alert, string status, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notifying {Notifier} at {Host} of {Alert} ({Status}) failed ({Failure}); it is given up.")]
    private static partial void LogFailed(ILogger logger, string notifier, string host, string alert, string status, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Notifier} queue is full ({Capacity}); the notification of {Alert} and others are dropped until it has room.")]
    private static partial void LogQueueFull(ILogger logger, string notifier, int capacity, string alert);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} notification(s) to {Notifier} were still undelivered when the shutdown wait ({Wait}) ran out; they are dropped.")]
    private static partial void LogDroppedAtStop(ILogger logger, int count, string notifier, TimeSpan wait);
}
