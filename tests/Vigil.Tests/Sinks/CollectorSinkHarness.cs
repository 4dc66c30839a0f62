using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Sinks;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Sinks;

/// <summary>
/// A <see cref="CollectorSink"/> as <c>AddVigilCollectorSink()</c> registers it (options, named client, resilience
/// handler), posting to a <see cref="CollectorStub"/>, on a <see cref="FakeTimeProvider"/>, its metrics and warnings kept.
/// </summary>
public sealed class CollectorSinkHarness : IAsyncDisposable
{
    /// <summary>The endpoint the sink is given unless a test sets another.</summary>
    public const string Endpoint = "http://collector.test:5080";

    private readonly IsolatedMeterFactory _meters = new();

    /// <summary>Builds the sink with the test defaults (batches of 3, 1 s interval, buffer of 100, short retries) and <paramref name="settings"/> over them.</summary>
    public CollectorSinkHarness(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Vigil:Collector:Endpoint"] = Endpoint,
            ["Vigil:Collector:BatchSize"] = "3",
            ["Vigil:Collector:FlushInterval"] = "00:00:01",
            ["Vigil:Collector:BufferCapacity"] = "100",
            ["Vigil:Collector:RetryDelay"] = "00:00:00.010",
            ["Vigil:Collector:MaxRetryDelay"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build())
            .AddSingleton<IMeterFactory>(_meters)
            .AddSingleton<TimeProvider>(Time)
            .AddLogging(logging => logging.AddProvider(Logs))
            .AddVigilCollectorSink();
        services.AddHttpClient(CollectorSink.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Stub);
        Provider = services.BuildServiceProvider();
        Metrics = new MetricRecorder(Provider.GetRequiredService<VigilMetrics>().Meter);
    }

    /// <summary>The clock of batching, retries and shutdown waits.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The collector.</summary>
    public CollectorStub Stub { get; } = new();

    /// <summary>Warnings and errors logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The container.</summary>
    public ServiceProvider Provider { get; }

    /// <summary>The sink under test.</summary>
    public CollectorSink Sink => Provider.GetRequiredService<CollectorSink>();

    /// <summary>The measurements of the sink's meter.</summary>
    public MetricRecorder Metrics { get; }

    /// <summary>vigil_sink_dropped_total for <paramref name="reason"/> (any record kind).</summary>
    public double DroppedFor(string reason) => Metrics.Sum(MetricNames.SinkDropped, (MetricTags.Reason, reason));

    /// <summary>A valid interaction.</summary>
    public static InteractionRecord Interaction(string traceId) => new()
    {
        TraceId = traceId,
        Timestamp = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero),
        Model = "gpt-4.1-mini",
        Status = InteractionStatus.Success,
        LatencyMs = 120,
        Query = "secret prompt text",
    };

    /// <summary>Emits interactions t0, t1, … and returns what each <c>Emit</c> answered.</summary>
    public IReadOnlyList<bool> EmitInteractions(int count) => [.. Enumerable.Range(0, count).Select(i => Sink.Emit(Interaction($"t{i}")))];

    /// <summary>
    /// Waits (in real time, at most 10 s) until <paramref name="condition"/> holds, moving the fake clock on by
    /// <paramref name="step"/> between looks when one is given.
    /// </summary>
    public async Task UntilAsync(Func<bool> condition, string what, TimeSpan? step = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"Timed out waiting until {what}; requests: {Stub.Requests.Count}; logs: {Logs}");
            if (step is { } by)
            {
                Time.Advance(by);
            }

            await Task.Delay(2);
        }
    }

    /// <summary>Lets background work run for a moment of real time without moving the fake clock.</summary>
    public static Task SettleAsync() => Task.Delay(100);

    public async ValueTask DisposeAsync()
    {
        var stopping = Sink.StopAsync();
        while (!stopping.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1)); // past any retry delay or shutdown wait
            await Task.Delay(2);
        }

        await stopping;
        await Provider.DisposeAsync();
        Metrics.Dispose();
        _meters.Dispose();
    }
}
