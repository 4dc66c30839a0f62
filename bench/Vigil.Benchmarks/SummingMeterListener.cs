using System.Diagnostics.Metrics;

namespace Vigil.Benchmarks;

/// <summary>
/// The cheapest possible metrics consumer: enables every instrument of the named meters and adds up the
/// values in int/long/double callbacks, never looking at the tags. What it costs is what any listener
/// costs at minimum; the rest of a "listening" row is the middleware's own work. (MEAI's token histogram
/// is <c>Histogram&lt;int&gt;</c>, so an int callback is set too; without it those measurements would be dropped
/// by the listener, which would flatter MEAI.)
/// </summary>
public sealed class SummingMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();

    public SummingMeterListener(params string[] meterNames)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Array.IndexOf(meterNames, instrument.Meter.Name) >= 0)
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<int>(static (_, value, _, state) => ((SummingMeterListener)state!).LongSum += value);
        _listener.SetMeasurementEventCallback<long>(static (_, value, _, state) => ((SummingMeterListener)state!).LongSum += value);
        _listener.SetMeasurementEventCallback<double>(static (_, value, _, state) => ((SummingMeterListener)state!).DoubleSum += value);
        _listener.Start();
    }

    public long LongSum { get; private set; }

    public double DoubleSum { get; private set; }

    public void Dispose() => _listener.Dispose();
}
