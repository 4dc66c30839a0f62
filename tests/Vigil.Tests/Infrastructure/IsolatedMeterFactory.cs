using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Vigil.Tests.Infrastructure;

/// <summary>
/// Creates meters under a unique name, so that no listener that selects meters by the name <c>Vigil</c>
/// (another test's exporter, a global OpenTelemetry setup) can switch their instruments on.
/// </summary>
public sealed class IsolatedMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];

    /// <inheritdoc />
    public Meter Create(MeterOptions options)
    {
        var meter = new Meter($"{options.Name}.Isolated.{Guid.NewGuid():N}", options.Version);
        _meters.Add(meter);
        return meter;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
