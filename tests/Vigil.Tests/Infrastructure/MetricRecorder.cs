using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Vigil.Tests.Infrastructure;

/// <summary>
/// Records every measurement of one <see cref="Meter"/> instance (not every meter named <c>Vigil</c>), so tests
/// running in parallel, each with its own <c>VigilMetrics</c>, never see each other's measurements.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    /// <summary>Starts listening to <paramref name="meter"/>.</summary>
    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Everything recorded so far.</summary>
    public IReadOnlyList<RecordedMeasurement> All => [.. _measurements];

    /// <summary>The measurements of <paramref name="instrument"/> that carry all of <paramref name="tags"/>.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument, params (string Key, string Value)[] tags) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.HasTags(tags))];

    /// <summary>The sum of the values of <see cref="Of"/> (a counter's total).</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    /// <summary>The distinct values of <paramref name="label"/> on <paramref name="instrument"/>.</summary>
    public IReadOnlySet<string> LabelValues(string instrument, string label) =>
        _measurements.Where(m => m.Instrument == instrument && m.Tags.ContainsKey(label))
            .Select(m => m.Tags[label] ?? string.Empty)
            .ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(tags.Length, StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture);
        }

        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copy));
    }
}
