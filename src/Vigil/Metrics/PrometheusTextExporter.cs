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
/// Hand-written rather than OpenTelemetry's Prometheus exporter: that one is prerelease here and adds
/// <c>otel_scope_*</c> labels to every series, which changes the catalog's label sets.
/// </remarks>
public sealed class PrometheusTextExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly int _maxSeriesPerInstrument;
    private long _droppedMeasurements;

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
                _instruments[instrument] = new InstrumentState(instrument);
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>(static (inst, value, tags, state) =>
            ((PrometheusTextExporter)state!).Record(inst, value, tags));
        _listener.SetMeasurementEventCallback<double>(static (inst, value, tags, state) =>
            ((PrometheusTextExporter)state!).Record(inst, value, tags));
        _listener.Start();
    }

    /// <summary>Measurements dropped because an instrument reached its series cap.</summary>
    public long DroppedMeasurements => Interlocked.Read(ref _droppedMeasurements);

    /// <summary>The exposition, as text.</summary>
    public string Scrape()
    {
        var builder = new StringBuilder(4096);
        using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
        Write(writer);
        return builder.ToString();
    }

    /// <summary>Writes the exposition.</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            state.Write(writer);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_instruments.TryGetValue(instrument, out var state))
        {
            return;
        }

        var labels = LabelText(tags);
        if (!state.Series.TryGetValue(labels, out var series))
        {
            if (state.Series.Count >= _maxSeriesPerInstrument)
            {
                Interlocked.Increment(ref _droppedMeasurements);
                return;
            }

            series = state.Series.GetOrAdd(labels, _ => new Series(state.Bounds));
        }

        series.Record(state.Kind, value);
    }

    private static string LabelText(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        Span<int> order = stackalloc int[Math.Min(tags.Length, 32)];
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

        var builder = new StringBuilder(64);
        for (var i = 0; i < count; i++)
        {
            var tag = tags[order[i]];
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(tag.Key).Append("=\"");
            AppendEscaped(builder, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty);
            builder.Append('"');
        }

        return builder.ToString();
    }

    private static void AppendEscaped(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append("\\n"); break;
                default: builder.Append(c); break;
            }
        }
    }

    /// <summary>A number as Prometheus' Python client writes it: integral values keep a ".0".</summary>
    internal static string FormatValue(double value)
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

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private enum Kind { Counter, Gauge, Histogram }

    private sealed class InstrumentState
    {
        public InstrumentState(Instrument instrument)
        {
            Name = instrument.Name;
            Description = instrument.Description ?? string.Empty;
            var type = instrument.GetType();
            Kind = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Histogram<>) ? Kind.Histogram
                : type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Gauge<>) || type.GetGenericTypeDefinition() == typeof(ObservableGauge<>)) ? Kind.Gauge
                : Kind.Counter;
            Bounds = Kind == Kind.Histogram ? BucketsOf(instrument) : [];
        }

        public string Name { get; }
        public string Description { get; }
        public Kind Kind { get; }
        public double[] Bounds { get; }
        public ConcurrentDictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        public void Write(TextWriter writer)
        {
            writer.Write("# HELP ");
            writer.Write(Name);
            writer.Write(' ');
            writer.Write(Description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(Name);
            writer.Write(Kind switch { Kind.Histogram => " histogram\n", Kind.Gauge => " gauge\n", _ => " counter\n" });
            foreach (var (labels, series) in Series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                series.Write(writer, Name, labels, Kind, Bounds);
            }
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

        public void Write(TextWriter writer, string name, string labels, Kind kind, double[] bounds)
        {
            long[] buckets;
            double sum;
            long count;
            lock (_gate)
            {
                buckets = (long[])_buckets.Clone();
                sum = _sum;
                count = _count;
            }

            if (kind != Kind.Histogram)
            {
                Sample(writer, name, labels, null, FormatValue(sum));
                return;
            }

            long cumulative = 0;
            for (var i = 0; i <= bounds.Length; i++)
            {
                cumulative += buckets[i];
                var le = i < bounds.Length ? FormatValue(bounds[i]) : "+Inf";
                Sample(writer, name + "_bucket", labels, le, cumulative.ToString(CultureInfo.InvariantCulture));
            }

            Sample(writer, name + "_sum", labels, null, FormatValue(sum));
            Sample(writer, name + "_count", labels, null, count.ToString(CultureInfo.InvariantCulture));
        }

        private static void Sample(TextWriter writer, string name, string labels, string? le, string value)
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
    }
}
