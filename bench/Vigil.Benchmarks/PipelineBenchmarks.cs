using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Metrics;
using Vigil.Signals;

namespace Vigil.Benchmarks;

/// <summary>
/// Everything on (issue #12's speed goal): Vigil's client from <c>AddVigil()</c>, which also builds a record per call
/// and feeds the in-process signal pipeline, against MEAI's <see cref="OpenTelemetryChatClient"/> with metrics and
/// traces. Both meters have the same consumer (one <see cref="SummingMeterListener"/>); MEAI's spans are sampled and
/// recorded by an <see cref="ActivityListener"/>, as an always-on tracer would.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class PipelineBenchmarks
{
#pragma warning disable CA1859 // Every client is called through IChatClient, as callers do.
    private IChatClient _bare = null!;
#pragma warning restore CA1859
    private IChatClient _vigil = null!;
    private IChatClient _meai = null!;
    private ServiceProvider _services = null!;
    private SummingMeterListener _metrics = null!;
    private ActivityListener _traces = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private long _spans;

    [GlobalSetup]
    public void Setup()
    {
        var inner = new FakeChatClient();
        _bare = inner;
        _services = new ServiceCollection().AddVigil().BuildServiceProvider();
        _vigil = new ChatClientBuilder(inner).UseVigil().Build(_services);
        _meai = new ChatClientBuilder(inner).UseOpenTelemetry(sourceName: BenchmarkScenario.OpenTelemetrySourceName).Build();
        _messages = BenchmarkScenario.Messages();
        _options = BenchmarkScenario.Options();
        _metrics = new SummingMeterListener(MetricNames.MeterName, BenchmarkScenario.OpenTelemetrySourceName);
        _traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BenchmarkScenario.OpenTelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => _spans++,
        };
        ActivitySource.AddActivityListener(_traces);

        // A row that fed nothing would measure the wrong thing.
        _ = _vigil.GetResponseAsync(_messages, _options).GetAwaiter().GetResult();
        if (_services.GetRequiredService<VigilMonitor>().GetReport().Sla["global"].Requests != 1 || _metrics.LongSum == 0)
        {
            throw new InvalidOperationException("Vigil's pipeline or its metrics saw nothing.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _traces.Dispose();
        _metrics.Dispose();
        _vigil.Dispose();
        _meai.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Bare")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> Bare_Get() => _bare.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Vigil + pipeline + metrics listener")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> Vigil_Get() => _vigil.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "MEAI OTel + metrics listener + spans")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> Meai_Get() => _meai.GetResponseAsync(_messages, _options);

    [Benchmark(Baseline = true, Description = "Bare")]
    [BenchmarkCategory("Streaming")]
    public Task<int> Bare_Stream() => BenchmarkScenario.DrainAsync(_bare, _messages, _options);

    [Benchmark(Description = "Vigil + pipeline + metrics listener")]
    [BenchmarkCategory("Streaming")]
    public Task<int> Vigil_Stream() => BenchmarkScenario.DrainAsync(_vigil, _messages, _options);

    [Benchmark(Description = "MEAI OTel + metrics listener + spans")]
    [BenchmarkCategory("Streaming")]
    public Task<int> Meai_Stream() => BenchmarkScenario.DrainAsync(_meai, _messages, _options);
}
