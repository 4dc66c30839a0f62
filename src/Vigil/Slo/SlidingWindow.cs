using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Slo;

/// <summary>
/// The collector's sliding window (default 1 hour in 60 slices): records are summed into the slice of
/// their timestamp; the window advances with the <see cref="TimeProvider"/> — a slice that falls out is
/// simply no longer merged, and its slot is reused — so nothing scans events. Memory is bounded by
/// slices × dimensions × sketch buckets, not by traffic. Records older than the window, or more than one
/// slice ahead of the clock, are not windowed (they are still stored).
/// </summary>
public sealed class SlidingWindow
{
    private readonly TimeProvider _time;
    private readonly long _sliceTicks;
    private readonly int _slices;
    private readonly Slot[] _ring;
    private readonly Lock _gate = new();

    /// <summary>Creates an empty window.</summary>
    public SlidingWindow(TimeProvider timeProvider, TimeSpan length, int slices)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, TimeSpan.FromSeconds(slices));
        _time = timeProvider;
        _slices = slices;
        _sliceTicks = length.Ticks / slices;
        Length = TimeSpan.FromTicks(_sliceTicks * slices);
        _ring = new Slot[slices + 1];
    }

    /// <summary>The window's length (a whole number of slices).</summary>
    public TimeSpan Length { get; }

    /// <summary>Adds (sign 1) or removes (sign −1) a normalized interaction.</summary>
    public void Add(InteractionRecord record, int sign = 1) =>
        Apply(record.Timestamp, (record, sign), static (a, s) => a.Add(s.record, s.sign));

    /// <summary>Adds (sign 1) or removes (sign −1) a feedback (at its timestamp, else now).</summary>
    public void Add(FeedbackRecord feedback, int sign = 1) =>
        Apply(feedback.Timestamp ?? _time.GetUtcNow(), (feedback, sign), static (a, s) => a.Add(s.feedback, s.sign));

    /// <summary>Adds a verdict (at its evaluated_at, else now).</summary>
    public void Add(EvaluationRecord evaluation, int sign = 1) =>
        Apply(evaluation.EvaluatedAt ?? _time.GetUtcNow(), (evaluation, sign), static (a, s) => a.Add(s.evaluation, s.sign));

    /// <summary>True when a record stamped <paramref name="timestamp"/> falls in the window now.</summary>
    public bool Covers(DateTimeOffset timestamp)
    {
        var now = SliceOf(_time.GetUtcNow());
        var slice = SliceOf(timestamp);
        return slice > now - _slices && slice <= now + 1;
    }

    /// <summary>The window's figures now, and the range they cover.</summary>
    public (SignalAggregate Aggregate, ReportWindow Window) Snapshot()
    {
        var nowTime = _time.GetUtcNow();
        var now = SliceOf(nowTime);
        var merged = new SignalAggregate();
        lock (_gate)
        {
            foreach (var slot in _ring)
            {
                if (slot.Aggregate is not null && slot.Index > now - _slices && slot.Index <= now + 1)
                {
                    merged.Merge(slot.Aggregate);
                }
            }
        }

        var from = new DateTimeOffset((now - _slices + 1) * _sliceTicks, TimeSpan.Zero);
        return (merged, new ReportWindow(from, nowTime));
    }

    private void Apply<TState>(DateTimeOffset timestamp, TState state, Action<SignalAggregate, TState> add)
    {
        var now = SliceOf(_time.GetUtcNow());
        var slice = SliceOf(timestamp);
        if (slice <= now - _slices || slice > now + 1)
        {
            return;
        }

        var position = (int)(((slice % _ring.Length) + _ring.Length) % _ring.Length);
        lock (_gate)
        {
            ref var slot = ref _ring[position];
            if (slot.Aggregate is null || slot.Index < slice)
            {
                slot = new Slot(slice, new SignalAggregate());
            }
            else if (slot.Index > slice)
            {
                return; // the slot already holds a newer slice; this one has left the window
            }

            add(slot.Aggregate!, state);
        }
    }

    private long SliceOf(DateTimeOffset timestamp) => Math.DivRem(timestamp.UtcTicks, _sliceTicks, out var rem) - (rem < 0 ? 1 : 0);

    private record struct Slot(long Index, SignalAggregate? Aggregate);
}
