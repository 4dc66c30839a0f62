using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Records;

namespace Vigil.Tests.Infrastructure;

/// <summary>
/// One test's own <see cref="VigilMetrics"/> (with a <see cref="MetricRecorder"/> on its meter), sink and options,
/// and the <c>UseVigil()</c> pipeline built around any inner client.
/// </summary>
public sealed class VigilTestHarness : IDisposable
{
    private readonly ServiceProvider _services;

    /// <summary>Creates the metrics, recorder and sink; <paramref name="timeProvider"/> is handed to the middleware through services.</summary>
    public VigilTestHarness(VigilOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new VigilOptions();
        Metrics = new VigilMetrics();
        Recorder = new MetricRecorder(Metrics.Meter);
        var services = new ServiceCollection().AddSingleton(Metrics);
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        _services = services.BuildServiceProvider();
    }

    /// <summary>The options given to <c>UseVigil</c>.</summary>
    public VigilOptions Options { get; }

    /// <summary>This test's instruments.</summary>
    public VigilMetrics Metrics { get; }

    /// <summary>Everything measured on <see cref="Metrics"/>.</summary>
    public MetricRecorder Recorder { get; }

    /// <summary>Every record emitted.</summary>
    public CollectingSink Sink { get; } = new();

    /// <summary>The single record emitted (fails otherwise).</summary>
    public InteractionRecord SingleRecord => Assert.Single(Sink.Records);

    /// <summary><c>new ChatClientBuilder(inner).UseVigil(Options, Sink).Build(services)</c>.</summary>
    public IChatClient Wrap(IChatClient inner) => new ChatClientBuilder(inner).UseVigil(Options, Sink).Build(_services);

    /// <inheritdoc />
    public void Dispose()
    {
        Recorder.Dispose();
        _services.Dispose();
        Metrics.Dispose();
    }
}
