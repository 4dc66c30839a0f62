using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Metrics;

namespace Vigil.Benchmarks;

/// <summary>
/// The same calls with the consumers production would attach:
/// Vigil with its own <see cref="PrometheusTextExporter"/> (which builds the series key of every measurement),
/// and MEAI with a metrics listener plus an <see cref="ActivityListener"/> that samples and records every span
/// of its source (what an OpenTelemetry tracer provider with an always-on sampler does before exporting).
/// "Vigil + pipeline" is <c>AddVigil()</c>'s client: every call also builds a record and feeds the in-process signal
/// pipeline (window, month ledger).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ConsumerBenchmarks
{
#pragma warning disable CA1859 // Every client is called through IChatClient, as callers do.
    private IChatClient _bare = null!;
#pragma warning restore CA1859
    private IChatClient _vigil = null!;
    private IChatClient _vigilPipeline = null!;
    private ServiceProvider _pipelineServices = null!;
    private IChatClient _meai = null!;
    private VigilMetrics _metrics = null!;
    private PrometheusTextExporter _exporter = null!;
    private SummingMeterListener _meaiMetrics = null!;
    private ActivityListener _meaiTraces = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private long _spans;

    [GlobalSetup]
    public void Setup()
    {
        var inner = new FakeChatClient();
        _metrics = new VigilMetrics();
        _bare = inner;
        _vigil = new ChatClientBuilder(inner).UseVigil().Build(new SingleServiceProvider(_metrics));

        // Everything on: AddVigil() hosts the signal pipeline in-process, and every call feeds it a record.
        _pipelineServices = new ServiceCollection().AddSingleton(_metrics).AddVigil().BuildServiceProvider();
        _vigilPipeline = new ChatClientBuilder(inner).UseVigil().Build(_pipelineServices);
        _meai = new ChatClientBuilder(inner).UseOpenTelemetry(sourceName: BenchmarkScenario.OpenTelemetrySourceName).Build();
        _messages = BenchmarkScenario.Messages();
        _options = BenchmarkScenario.Options();

        _exporter = new PrometheusTextExporter(_metrics.Meter);
        _meaiMetrics = new SummingMeterListener(BenchmarkScenario.OpenTelemetrySourceName);
        _meaiTraces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BenchmarkScenario.OpenTelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => _spans++,
        };
        ActivitySource.AddActivityListener(_meaiTraces);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meaiTraces.Dispose();
        _meaiMetrics.Dispose();
        _exporter.Dispose();
        _vigil.Dispose();
        _vigilPipeline.Dispose();
        _pipelineServices.Dispose();
        _meai.Dispose();
        _metrics.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Bare")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> Bare_Get() => _bare.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Vigil + PrometheusTextExporter")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> VigilExporter_Get() => _vigil.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Vigil + pipeline + PrometheusTextExporter")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> VigilPipeline_Get() => _vigilPipeline.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "MEAI OTel + metrics + spans")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> MeaiTraced_Get() => _meai.GetResponseAsync(_messages, _options);

    [Benchmark(Baseline = true, Description = "Bare")]
    [BenchmarkCategory("Streaming")]
    public Task<int> Bare_Stream() => BenchmarkScenario.DrainAsync(_bare, _messages, _options);

    [Benchmark(Description = "Vigil + PrometheusTextExporter")]
    [BenchmarkCategory("Streaming")]
    public Task<int> VigilExporter_Stream() => BenchmarkScenario.DrainAsync(_vigil, _messages, _options);

    [Benchmark(Description = "Vigil + pipeline + PrometheusTextExporter")]
    [BenchmarkCategory("Streaming")]
    public Task<int> VigilPipeline_Stream() => BenchmarkScenario.DrainAsync(_vigilPipeline, _messages, _options);

    [Benchmark(Description = "MEAI OTel + metrics + spans")]
    [BenchmarkCategory("Streaming")]
    public Task<int> MeaiTraced_Stream() => BenchmarkScenario.DrainAsync(_meai, _messages, _options);
}
