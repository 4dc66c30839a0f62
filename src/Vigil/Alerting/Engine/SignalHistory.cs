namespace Vigil.Alerting.Engine;

/// <summary>
/// The counters' recent history, Prometheus-like but bounded whatever the traffic: each counter's increments summed
/// per step, in two rings — 10-second steps for the last 6 hours and 5-minute steps for the last 7 days and an hour
/// (what <c>avg_over_time(…[7d:1h])</c> of a 1-hour increase reaches back to). An increment is kept in the step of its
/// own timestamp (clamped to now), so records restored at start rebuild the history. The increase over a window
/// <c>(end - window, end]</c> is the sum of the steps in it (exact when the window's ends fall on step boundaries), from the 10-second ring when it reaches that far back,
/// else from the 5-minute one. Thread-safe.
/// </summary>
public sealed class SignalHistory
{
    /// <summary>The fine ring's step.</summary>
    public static readonly TimeSpan FineStep = TimeSpan.FromSeconds(10);

    /// <summary>How far back the fine ring reaches: 6 hours, and 5 minutes more so that a 6-hour window fits whole.</summary>
    public static readonly TimeSpan FineSpan = TimeSpan.FromHours(6) + TimeSpan.FromMinutes(5);

    /// <summary>The coarse ring's step.</summary>
    public static readonly TimeSpan CoarseStep = TimeSpan.FromMinutes(5);

    /// <summary>How far back the coarse ring reaches.</summary>
    public static readonly TimeSpan CoarseSpan = TimeSpan.FromDays(7) + TimeSpan.FromHours(1);

    private readonly TimeProvider _time;
    private readonly Ring _fine;
    private readonly Ring _coarse;
    private readonly long[] _firstSeen;
    private readonly Lock _gate = new();

    /// <summary>Creates an empty history of <paramref name="width"/> counters.</summary>
    /// <param name="time">The clock increments are clamped to.</param>
    /// <param name="width">How many counters (columns); <see cref="AlertSignals.Count"/> by default.</param>
    public SignalHistory(TimeProvider? time = null, int width = 0)
    {
        _time = time ?? TimeProvider.System;
        Width = width > 0 ? width : AlertSignals.Count;
        _fine = new Ring(FineStep, FineSpan, Width);
        _coarse = new Ring(CoarseStep, CoarseSpan, Width);
        _firstSeen = new long[Width];
        Array.Fill(_firstSeen, long.MaxValue);
    }

    /// <summary>How many counters it keeps.</summary>
    public int Width { get; }

    /// <summary>The bytes its rings hold (fixed at creation: bounded whatever the traffic).</summary>
    public long MemoryBytes => _fine.MemoryBytes + _coarse.MemoryBytes + (_firstSeen.Length * sizeof(long));

    /// <summary>Adds <paramref name="amount"/> to <paramref name="counter"/> at <paramref name="at"/> (clamped to now).</summary>
    public void Add(SignalCounter counter, DateTimeOffset at, double amount)
    {
        if ((uint)counter.Index >= (uint)Width)
        {
            throw new ArgumentOutOfRangeException(nameof(counter), counter, "Not a column of this history.");
        }

        var ticks = Math.Min(at.UtcTicks, _time.GetUtcNow().UtcTicks);
        lock (_gate)
        {
            if (ticks < _firstSeen[counter.Index])
            {
                _firstSeen[counter.Index] = ticks;
            }

            _fine.Add(ticks, counter.Index, amount);
            _coarse.Add(ticks, counter.Index, amount);
        }
    }

    /// <summary>Adds one observation of <paramref name="value"/> to <paramref name="histogram"/>: its count and every bucket it fits.</summary>
    public void Observe(SignalHistogram histogram, DateTimeOffset at, double value)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        Add(histogram.Count, at, 1);
        for (var i = histogram.Bounds.Count - 1; i >= 0 && value <= histogram.Bounds[i]; i--)
        {
            Add(histogram.Buckets[i], at, 1);
        }
    }

    /// <summary>When <paramref name="counter"/> was first added to (its series' start); null before.</summary>
    public DateTimeOffset? FirstSeen(SignalCounter counter)
    {
        lock (_gate)
        {
            var ticks = _firstSeen[counter.Index];
            return ticks == long.MaxValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>What <paramref name="counter"/> grew by over <c>(end - window, end]</c>: Prometheus's <c>increase</c> without extrapolation.</summary>
    public double Increase(SignalCounter counter, DateTimeOffset end, TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be positive.");
        }

        var now = _time.GetUtcNow();
        var start = end - window;
        var fine = window.Ticks % FineStep.Ticks == 0 && start >= now - FineSpan + FineStep;
        lock (_gate)
        {
            return (fine ? _fine : _coarse).Sum(counter.Index, start.UtcTicks, end.UtcTicks);
        }
    }

    private sealed class Ring
    {
        private readonly long _step;
        private readonly int _slots;
        private readonly int _width;
        private readonly double[] _values;
        private readonly long[] _stepOf;
        private long _newest = long.MinValue;

        public Ring(TimeSpan step, TimeSpan span, int width)
        {
            _step = step.Ticks;
            _slots = (int)(span.Ticks / step.Ticks) + 1;
            _width = width;
            _values = new double[_slots * width];
            _stepOf = new long[_slots];
            Array.Fill(_stepOf, long.MinValue);
        }

        public long MemoryBytes => (_values.Length * sizeof(double)) + (_stepOf.Length * sizeof(long));

        public void Add(long ticks, int column, double amount)
        {
            var k = Ceiling(ticks);
            if (_newest != long.MinValue && k <= _newest - _slots)
            {
                return; // older than the ring reaches
            }

            var slot = (int)(((k % _slots) + _slots) % _slots);
            if (_stepOf[slot] != k)
            {
                _stepOf[slot] = k;
                Array.Clear(_values, slot * _width, _width);
            }

            _values[(slot * _width) + column] += amount;
            _newest = Math.Max(_newest, k);
        }

        public double Sum(int column, long startTicks, long endTicks)
        {
            var from = Ceiling(startTicks) + 1;
            var to = Ceiling(endTicks);
            from = Math.Max(from, to - _slots + 1);
            var sum = 0.0;
            for (var k = from; k <= to; k++)
            {
                var slot = (int)(((k % _slots) + _slots) % _slots);
                if (_stepOf[slot] == k)
                {
                    sum += _values[(slot * _width) + column];
                }
            }

            return sum;
        }

        // Step k holds the increments of ((k - 1) * step, k * step], as a window (end - w, end] takes samples.
        private long Ceiling(long ticks)
        {
            var k = Math.DivRem(ticks, _step, out var rem);
            return rem > 0 ? k + 1 : k;
        }
    }
}
