using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Metrics;

namespace Vigil.Benchmarks;

/// <summary>
/// Per-call overhead of Vigil's <see cref="VigilChatClient"/> and MEAI's <see cref="OpenTelemetryChatClient"/>
/// in front of the same synchronous in-memory client, with and without a metrics listener.
/// Overhead = middleware row minus the Bare row of the same group (category and <see cref="Listener"/>).
/// </summary>
/// <remarks>
/// "Metrics" attaches one <see cref="SummingMeterListener"/> to the meters named <c>Vigil</c> and <c>bench</c>.
/// No ActivityListener is attached here: Vigil emits no spans, so a metrics-only comparison asks both
/// middlewares for the same kind of output. What MEAI costs when tracing is also on is measured in
/// <see cref="ConsumerBenchmarks"/>.
/// </remarks>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class OverheadBenchmarks
{
#pragma warning disable CA1859 // Every client is called through IChatClient, as callers do.
    private IChatClient _bare = null!;
#pragma warning restore CA1859
    private IChatClient _vigil = null!;
    private IChatClient _meai = null!;
    private VigilMetrics _metrics = null!;
    private SummingMeterListener? _listener;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;

    /// <summary>Who listens to the meters.</summary>
    public enum ListenerKind
    {
        /// <summary>Nobody.</summary>
        None,

        /// <summary>A MeterListener on every instrument of the Vigil and MEAI meters.</summary>
        Metrics,
    }

    [Params(ListenerKind.None, ListenerKind.Metrics)]
    public ListenerKind Listener { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inner = new FakeChatClient();
        _metrics = new VigilMetrics();
        _bare = inner;
        _vigil = new ChatClientBuilder(inner).UseVigil().Build(new SingleServiceProvider(_metrics));
        _meai = new ChatClientBuilder(inner).UseOpenTelemetry(sourceName: BenchmarkScenario.OpenTelemetrySourceName).Build();
        if (_vigil is not VigilChatClient || _meai is not OpenTelemetryChatClient)
        {
            throw new InvalidOperationException("The pipelines are not what the benchmark means to measure.");
        }

        _messages = BenchmarkScenario.Messages();
        _options = BenchmarkScenario.Options();
        if (Listener == ListenerKind.Metrics)
        {
            _listener = new SummingMeterListener(MetricNames.MeterName, BenchmarkScenario.OpenTelemetrySourceName);
            AssertRecords(_vigil, "Vigil");
            AssertRecords(_meai, "MEAI");
        }
    }

    // A listening row that records nothing would measure the wrong thing: check that both paths reach the listener.
    private void AssertRecords(IChatClient client, string name)
    {
        var before = (_listener!.LongSum, _listener.DoubleSum);
        _ = client.GetResponseAsync(_messages, _options).GetAwaiter().GetResult();
        var afterGet = (_listener.LongSum, _listener.DoubleSum);
        _ = BenchmarkScenario.DrainAsync(client, _messages, _options).GetAwaiter().GetResult();
        if (afterGet == before || (_listener.LongSum, _listener.DoubleSum) == afterGet)
        {
            throw new InvalidOperationException($"{name} recorded nothing for the listener.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _vigil.Dispose();
        _meai.Dispose();
        _metrics.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Bare")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> Bare_Get() => _bare.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Vigil")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> Vigil_Get() => _vigil.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "MEAI OTel")]
    [BenchmarkCategory("GetResponse")]
    public Task<ChatResponse> Meai_Get() => _meai.GetResponseAsync(_messages, _options);

    [Benchmark(Baseline = true, Description = "Bare")]
    [BenchmarkCategory("Streaming")]
    public Task<int> Bare_Stream() => BenchmarkScenario.DrainAsync(_bare, _messages, _options);

    [Benchmark(Description = "Vigil")]
    [BenchmarkCategory("Streaming")]
    public Task<int> Vigil_Stream() => BenchmarkScenario.DrainAsync(_vigil, _messages, _options);

    [Benchmark(Description = "MEAI OTel")]
    [BenchmarkCategory("Streaming")]
    public Task<int> Meai_Stream() => BenchmarkScenario.DrainAsync(_meai, _messages, _options);
}
