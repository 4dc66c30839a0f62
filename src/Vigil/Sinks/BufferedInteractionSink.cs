using System.Threading.Channels;
using Vigil.Metrics;
using Vigil.Records;

namespace Vigil.Sinks;

/// <summary>
/// A sink that buffers records in a bounded channel and writes them in batches on a background task,
/// so the call that emits never waits. When the buffer is full the record is dropped and counted
/// (<c>vigil_sink_dropped_total</c>): memory stays bounded whatever the traffic.
/// </summary>
public abstract class BufferedInteractionSink : IInteractionSink, IAsyncDisposable
{
    private readonly Channel<InteractionRecord> _channel;
    private readonly VigilMetrics? _metrics;
    private readonly int _maxBatch;
    private readonly Task _pump;
    private long _dropped;

    /// <summary>Starts the background writer.</summary>
    /// <param name="capacity">Records held at most before new ones are dropped.</param>
    /// <param name="maxBatch">Records handed to <see cref="WriteBatchAsync"/> at most at once.</param>
    /// <param name="metrics">Where to count drops.</param>
    protected BufferedInteractionSink(int capacity = 10_000, int maxBatch = 256, VigilMetrics? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _channel = Channel.CreateBounded<InteractionRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _metrics = metrics;
        _maxBatch = maxBatch;
        _pump = Task.Run(PumpAsync);
    }

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <summary>Records dropped because the buffer was full or the sink was closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public bool Emit(InteractionRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        if (_metrics is { } metrics && metrics.SinkDropped.Enabled)
        {
            metrics.SinkDropped.Add(1);
        }

        return false;
    }

    /// <summary>Stops taking records, writes what is buffered, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes one batch. An exception is passed to <see cref="OnWriteFailed"/> and the batch is not retried.</summary>
    protected abstract Task WriteBatchAsync(IReadOnlyList<InteractionRecord> batch, CancellationToken cancellationToken);

    /// <summary>Called when <see cref="WriteBatchAsync"/> throws; the default does nothing.</summary>
    protected virtual void OnWriteFailed(Exception exception, IReadOnlyList<InteractionRecord> batch)
    {
    }

    private async Task PumpAsync()
    {
        var batch = new List<InteractionRecord>(_maxBatch);
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                await WriteBatchAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing writer must not stop the pump.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                OnWriteFailed(ex, batch);
            }

            batch = new List<InteractionRecord>(_maxBatch);
        }
    }
}
