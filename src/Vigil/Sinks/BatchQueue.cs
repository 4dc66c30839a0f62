using System.Threading.Channels;

namespace Vigil.Sinks;

/// <summary>
/// A bounded buffer that hands out batches: full ones at once, and partial ones <c>interval</c> after their first
/// record. Any thread adds without waiting; one reader takes batches. A record counts against the capacity until the
/// reader <see cref="Release"/>s it, so a batch being sent (or retried) holds its place.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class BatchQueue<T>
    where T : class
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _capacity;
    private readonly int _batchSize;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private Task<bool>? _pendingWait;
    private int _held;

    public BatchQueue(int capacity, int batchSize, TimeSpan interval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _capacity = capacity;
        _batchSize = batchSize;
        _interval = interval;
        _time = time;
    }

    /// <summary>Records added and not yet released.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Adds a record unless the buffer is full or completed; never waits.</summary>
    public bool TryAdd(T record)
    {
        if (Interlocked.Increment(ref _held) <= _capacity && _channel.Writer.TryWrite(record))
        {
            return true;
        }

        Interlocked.Decrement(ref _held);
        return false;
    }

    /// <summary>Takes no more records; the reader gets what is left, then null.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Gives back the places of <paramref name="count"/> records taken in batches.</summary>
    public void Release(int count) => Interlocked.Add(ref _held, -count);

    /// <summary>
    /// The next batch: <c>batchSize</c> records as soon as they are there, fewer once <c>interval</c> has passed since
    /// the first of them was seen (or at once when completed); null when completed and empty.
    /// </summary>
    public async Task<List<T>?> NextBatchAsync()
    {
        if (!await WaitForRecordsAsync(Timeout.InfiniteTimeSpan).ConfigureAwait(false))
        {
            return null;
        }

        var started = _time.GetTimestamp();
        var batch = new List<T>();
        while (true)
        {
            while (batch.Count < _batchSize && _channel.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            if (batch.Count >= _batchSize)
            {
                return batch;
            }

            var left = _interval - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !await WaitForRecordsAsync(left).ConfigureAwait(false))
            {
                return batch;
            }
        }
    }

    /// <summary>Takes every record left without waiting (after <see cref="Complete"/>), releasing their places; returns how many.</summary>
    public int DrainAll()
    {
        var count = 0;
        while (_channel.Reader.TryRead(out _))
        {
            count++;
        }

        Release(count);
        return count;
    }

    // True when a record can be read; false on timeout, or when completed and empty. A wait that outlives its timeout is
    // kept for the next call rather than left behind.
    private async Task<bool> WaitForRecordsAsync(TimeSpan timeout)
    {
        var wait = _pendingWait ??= _channel.Reader.WaitToReadAsync().AsTask();
        if (!wait.IsCompleted && timeout != Timeout.InfiniteTimeSpan)
        {
            using var cancelDelay = new CancellationTokenSource();
            var delay = Task.Delay(timeout, _time, cancelDelay.Token);
            if (await Task.WhenAny(wait, delay).ConfigureAwait(false) != wait)
            {
                return false;
            }

            await cancelDelay.CancelAsync().ConfigureAwait(false);
        }

        _pendingWait = null;
        return await wait.ConfigureAwait(false);
    }
}
