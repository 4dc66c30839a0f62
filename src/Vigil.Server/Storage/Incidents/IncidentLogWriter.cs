using System.Threading.Channels;
using Vigil.Incidents;

namespace Vigil.Server.Storage.Incidents;

/// <summary>
/// Appends the responder's log entries to the <see cref="IIncidentLogStore"/> in the background: the responder hands an
/// entry over (<see cref="Enqueue"/>, never blocking) and goes on; a failed append is retried. What is queued when the
/// host stops is written before it ends.
/// </summary>
public sealed partial class IncidentLogWriter : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly Channel<IncidentLogEntry> _queue = Channel.CreateUnbounded<IncidentLogEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IIncidentLogStore _store;
    private readonly ILogger _logger;
    private long _queued;
    private long _written;

    /// <summary>Writes to <paramref name="store"/>.</summary>
    public IncidentLogWriter(IIncidentLogStore store, ILogger<IncidentLogWriter> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Queues <paramref name="entry"/> for the store; returns at once.</summary>
    public void Enqueue(IncidentLogEntry entry)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _queued);
        }
    }

    /// <summary>Waits (up to <paramref name="timeout"/>, default 5 s) until what was queued before the call is stored.</summary>
    public async Task SettleAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _queued);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (Interlocked.Read(ref _written) < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<IncidentLogEntry>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            while (batch.Count > 0)
            {
                try
                {
                    await _store.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Add(ref _written, batch.Count);
                    batch.Clear();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogAppendFailed(_logger, batch.Count, ex.GetType().Name);
                    if (stoppingToken.IsCancellationRequested)
                    {
                        return; // stopping with the store away: what is left is lost, as said in the log
                    }

                    await Task.Delay(RetryDelay, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} incident log entries could not be stored ({Error}); retrying.")]
    private static partial void LogAppendFailed(ILogger logger, int count, string error);
}
