using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Vigil.Metrics;

/// <summary>
/// Listens to the <c>Vigil</c> meter and writes the Prometheus text exposition (format 0.0.4).
/// Instrument names are written as they are, so the catalog's names reach Prometheus unchanged,
/// and histogram <c>le</c> values are written as the seed's Python client writes them (<c>5.0</c>),
/// so the seed's PromQL works unmodified. Series per instrument are capped.
/// </summary>
/// <remarks>
/// <para>
/// Hand-written rather than OpenTelemetry's Prometheus exporter: that one is prerelease here and adds
/// <c>otel_scope_*</c> labels to every series, which changes the catalog's label sets.
/// </para>
/// <para>
/// A measurement allocates nothing once its series exists: the series key (the label text) is written into a
/// stack buffer and looked up as a span; only a new series makes a string of it.
/// </para>
/// </remarks>
public sealed class PrometheusTextExporter : IDisposable
{
    // Tags past this many are ignored (a catalog instrument has at most four).
    private const int MaxTags = 32;

    private static readonly Comparison<InstrumentState> ByName = static (a, b) => string.CompareOrdinal(a.Name, b.Name);

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly int _maxSeriesPerInstrument;
    private long _droppedMeasurements;
    private int _lastScrapeLength = 4096;

    /// <summary>Starts listening.</summary>
    /// <param name="meter">Only this meter; null for every meter named <c>Vigil</c>.</param>
    /// <param name="maxSeriesPerInstrument">A measurement that would open a series past this is dropped and counted.</param>
    public PrometheusTextExporter(Meter? meter = null, int maxSeriesPerInstrument = 10_000)
    {
        _maxSeriesPerInstrument = maxSeriesPerInstrument;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meter is null ? instrument.Meter.Name == MetricNames.MeterName : ReferenceEquals(instrument.Meter, meter))
            {
                // The state travels with every measurement: no lookup by instrument on the measurement path.
                var state = new InstrumentState(instrument, this);
                _instruments[instrument] = state;
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Measurements dropped because an instrument reached its series cap.</summary>
    public long DroppedMeasurements => Interlocked.Read(ref _droppedMeasurements);

    /// <summary>The exposition, as text.</summary>
    public string Scrape()
    {
        var builder = new StringBuilder(Volatile.Read(ref _lastScrapeLength) + 1024);
        using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
        Write(writer);
        Volatile.Write(ref _lastScrapeLength, builder.Length);
        return builder.ToString();
    }

    /// <summary>Writes the exposition.</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _listener.RecordObservableInstruments(); // observable gauges (the budget) report their value now
        var states = _instruments.Values.ToArray();
        Array.Sort(states, ByName);
        foreach (var state in states)
        {
            state.Write(writer);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    /// <summary>A number as Prometheus' Python client writes it: integral values keep a ".0".</summary>
    internal static string FormatValue(double value)
    {
        Span<char> buffer = stackalloc char[NumberBufferLength];
        return FormatValue(value, buffer).ToString();
    }

    private const int NumberBufferLength = 32;

    /// <summary><see cref="FormatValue(double)"/> into <paramref name="buffer"/> (at least <see cref="NumberBufferLength"/> characters).</summary>
    private static ReadOnlySpan<char> FormatValue(double value, Span<char> buffer)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        // "R" is at most 24 characters ("-1.7976931348623157E+308"), so the buffer always has room for ".0".
        value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture);
        if (buffer[..written].IndexOfAny('.', 'E') >= 0)
        {
            return buffer[..written];
        }

        buffer[written++] = '.';
        buffer[written++] = '0';
        return buffer[..written];
    }

    /// <summary>Writes the label text of <paramref name="tags"/>: sorted by name, <c>name="escaped value"</c>, comma-separated.</summary>
    private static void WriteLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags, ref LabelWriter labels)
    {
        if (tags.Length == 0)
        {
            return;
        }

        Span<int> order = stackalloc int[Math.Min(tags.Length, MaxTags)];
        var count = order.Length;
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        // Insertion sort by name: tag lists are short.
        for (var i = 1; i < count; i++)
        {
            var current = order[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(tags[order[j]].Key, tags[current].Key) > 0)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }

        for (var i = 0; i < count; i++)
        {
            var tag = tags[order[i]];
            if (i > 0)
            {
                labels.Append(',');
            }

            labels.Append(tag.Key);
            labels.Append("=\"");
            labels.AppendValue(tag.Value);
            labels.Append('"');
        }
    }

    /// <summary>Builds a series key in a caller's (stack) buffer, moving to a pooled array only if it outgrows it.</summary>
    private ref struct LabelWriter(Span<char> initial)
    {
        private Span<char> _chars = initial;
        private char[]? _rented;
        private int _length;

        public readonly ReadOnlySpan<char> Written => _chars[.._length];

        public void Append(char c)
        {
            if (_length == _chars.Length)
            {
                Grow(1);
            }

            _chars[_length++] = c;
        }

        public void Append(scoped ReadOnlySpan<char> text)
        {
            if (_chars.Length - _length < text.Length)
            {
                Grow(text.Length);
            }

            text.CopyTo(_chars[_length..]);
            _length += text.Length;
        }

        // Convert.ToString(value, InvariantCulture), escaped; numbers and enums are formatted in place.
        public void AppendValue(object? value)
        {
            switch (value)
            {
                case string text:
                    AppendEscaped(text);
                    return;
                case null:
                    return;
                case ISpanFormattable and IConvertible when value.GetType().IsPrimitive || value is decimal or Enum:
                    Span<char> formatted = stackalloc char[64];
                    if (((ISpanFormattable)value).TryFormat(formatted, out var written, default, CultureInfo.InvariantCulture))
                    {
                        AppendEscaped(formatted[..written]);
                        return;
                    }

                    break;
            }

            AppendEscaped(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
        }

        public void Dispose()
        {
            if (_rented is { } rented)
            {
                _rented = null;
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        private void AppendEscaped(scoped ReadOnlySpan<char> value)
        {
            while (true)
            {
                var special = value.IndexOfAny('\\', '"', '\n');
                if (special < 0)
                {
                    Append(value);
                    return;
                }

                Append(value[..special]);
                Append(value[special] switch { '\\' => "\\\\", '"' => "\\\"", _ => "\\n" });
                value = value[(special + 1)..];
            }
        }

        private void Grow(int more)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + more));
            _chars[.._length].CopyTo(bigger);
            if (_rented is { } old)
            {
                ArrayPool<char>.Shared.Return(old);
            }

            _rented = bigger;
            _chars = bigger;
        }
    }

    private enum Kind { Counter, Gauge, Histogram }

    private sealed class InstrumentState
    {
        private readonly PrometheusTextExporter _owner;
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Series>.AlternateLookup<ReadOnlySpan<char>> _seriesBySpan;
        private readonly string _header;
        private readonly string _bucketName;
        private readonly string _sumName;
        private readonly string _countName;
        private readonly string[] _le;

        public InstrumentState(Instrument instrument, PrometheusTextExporter owner)
        {
            _owner = owner;
            _seriesBySpan = _series.GetAlternateLookup<ReadOnlySpan<char>>();
            Name = instrument.Name;
            var description = instrument.Description ?? string.Empty;
            var type = instrument.GetType();
            Kind = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Histogram<>) ? Kind.Histogram
                : type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Gauge<>) || type.GetGenericTypeDefinition() == typeof(ObservableGauge<>)) ? Kind.Gauge
                : Kind.Counter;
            Bounds = Kind == Kind.Histogram ? BucketsOf(instrument) : [];

            // Everything a scrape writes that does not change between scrapes, made once.
            _header = "# HELP " + Name + " "
                + description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
                + "\n# TYPE " + Name
                + Kind switch { Kind.Histogram => " histogram\n", Kind.Gauge => " gauge\n", _ => " counter\n" };
            _bucketName = Name + "_bucket";
            _sumName = Name + "_sum";
            _countName = Name + "_count";
            _le = [.. Bounds.Select(FormatValue), "+Inf"];
        }

        public string Name { get; }
        public Kind Kind { get; }
        public double[] Bounds { get; }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new LabelWriter(stackalloc char[256]);
            try
            {
                WriteLabels(tags, ref labels);
                if (!_seriesBySpan.TryGetValue(labels.Written, out var series))
                {
                    if (_series.Count >= _owner._maxSeriesPerInstrument)
                    {
                        Interlocked.Increment(ref _owner._droppedMeasurements);
                        return;
                    }

                    series = _series.GetOrAdd(labels.Written.ToString(), static (_, bounds) => new Series(bounds), Bounds);
                }

                series.Record(Kind, value);
            }
            finally
            {
                labels.Dispose();
            }
        }

        public void Write(TextWriter writer)
        {
            writer.Write(_header);
            var series = _series.ToArray();
            Array.Sort(series, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            foreach (var (labels, one) in series)
            {
                one.Write(writer, this, labels);
            }
        }

        public void WriteSamples(TextWriter writer, string labels, ReadOnlySpan<long> buckets, double sum, long count)
        {
            Span<char> number = stackalloc char[NumberBufferLength];
            if (Kind != Kind.Histogram)
            {
                Sample(writer, Name, labels, null, FormatValue(sum, number));
                return;
            }

            long cumulative = 0;
            for (var i = 0; i < buckets.Length; i++)
            {
                cumulative += buckets[i];
                cumulative.TryFormat(number, out var written, default, CultureInfo.InvariantCulture);
                Sample(writer, _bucketName, labels, _le[i], number[..written]);
            }

            Sample(writer, _sumName, labels, null, FormatValue(sum, number));
            count.TryFormat(number, out var countWritten, default, CultureInfo.InvariantCulture);
            Sample(writer, _countName, labels, null, number[..countWritten]);
        }

        private static void Sample(TextWriter writer, string name, string labels, string? le, ReadOnlySpan<char> value)
        {
            writer.Write(name);
            if (labels.Length > 0 || le is not null)
            {
                writer.Write('{');
                writer.Write(labels);
                if (le is not null)
                {
                    writer.Write(labels.Length > 0 ? ",le=\"" : "le=\"");
                    writer.Write(le);
                    writer.Write('"');
                }

                writer.Write('}');
            }

            writer.Write(' ');
            writer.Write(value);
            writer.Write('\n');
        }

        private static double[] BucketsOf(Instrument instrument) =>
            instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } doubles } ? [.. doubles]
            : instrument is Histogram<long> { Advice.HistogramBucketBoundaries: { } longs } ? [.. longs.Select(l => (double)l)]
            : [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
    }

    private sealed class Series(double[] bounds)
    {
        private readonly long[] _buckets = new long[bounds.Length + 1];
        private readonly Lock _gate = new();
        private double _sum;
        private long _count;

        public void Record(Kind kind, double value)
        {
            lock (_gate)
            {
                switch (kind)
                {
                    case Kind.Gauge:
                        _sum = value;
                        break;
                    case Kind.Counter:
                        _sum += value;
                        break;
                    default:
                        var index = Array.BinarySearch(bounds, value);
                        _buckets[index >= 0 ? index : ~index]++;
                        _sum += value;
                        _count++;
                        break;
                }
            }
        }

        public void Write(TextWriter writer, InstrumentState state, string labels)
        {
            // A consistent snapshot, copied under the lock, written outside it.
            Span<long> buckets = _buckets.Length <= 64 ? stackalloc long[_buckets.Length] : new long[_buckets.Length];
            double sum;
            long count;
            lock (_gate)
            {
                _buckets.CopyTo(buckets);
                sum = _sum;
                count = _count;
            }

            state.WriteSamples(writer, labels, buckets, sum, count);
        }
    }
}
