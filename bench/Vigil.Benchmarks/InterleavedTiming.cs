using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Classification;
using Vigil.Metrics;
using Vigil.Pricing;

namespace Vigil.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Vigil.Benchmarks -- --interleaved</c>: a cross-check of the
/// BenchmarkDotNet times for a machine other work shares. The six calls of a listener setting run in turns of
/// 2,000 calls, 300 turns each, interleaved, so load hits every row alike; each row reports the fastest turn
/// (load can only add time, so the minimum is the closest to the uncontended cost) and the median turn.
/// Three settings: nobody listens; a summing metrics listener on both meters; and the consumers production would
/// attach (as in <see cref="ConsumerBenchmarks"/>).
/// </summary>
public static class InterleavedTiming
{
    private const int CallsPerTurn = 2_000;
    private const int Turns = 300;

    public static void Run()
    {
        var inner = new FakeChatClient();
        using var metrics = new VigilMetrics();
        using IChatClient vigil = new ChatClientBuilder(inner).UseVigil().Build(new SingleServiceProvider(metrics));
        using IChatClient meai = new ChatClientBuilder(inner).UseOpenTelemetry(sourceName: BenchmarkScenario.OpenTelemetrySourceName).Build();
        var messages = BenchmarkScenario.Messages();
        var options = BenchmarkScenario.Options();

        (string Name, Action Call)[] rows =
        [
            ("GetResponse Bare", () => inner.GetResponseAsync(messages, options).GetAwaiter().GetResult()),
            ("GetResponse Vigil", () => vigil.GetResponseAsync(messages, options).GetAwaiter().GetResult()),
            ("GetResponse MEAI OTel", () => meai.GetResponseAsync(messages, options).GetAwaiter().GetResult()),
            ("Streaming Bare", () => BenchmarkScenario.DrainAsync(inner, messages, options).GetAwaiter().GetResult()),
            ("Streaming Vigil", () => BenchmarkScenario.DrainAsync(vigil, messages, options).GetAwaiter().GetResult()),
            ("Streaming MEAI OTel", () => BenchmarkScenario.DrainAsync(meai, messages, options).GetAwaiter().GetResult()),
        ];

        Console.WriteLine($"{"listener",-10} {"call",-48} {"min ns",8} {"median ns",10} {"overhead (min) ns",18}");
        Measure("None", rows);
        using (new SummingMeterListener(MetricNames.MeterName, BenchmarkScenario.OpenTelemetrySourceName))
        {
            Measure("Metrics", rows);
            Console.WriteLine();
            Console.WriteLine("pieces of Vigil's observed non-streaming path (listener on)");
            Measure("Metrics", Pieces(metrics, inner.GetResponseAsync(messages).GetAwaiter().GetResult()), baseline: false);
        }

        // ConsumerBenchmarks' rows: Vigil with its own exporter, MEAI with a metrics listener and an always-sampling
        // ActivityListener (what an OpenTelemetry tracer provider does before exporting).
        Console.WriteLine();
        Console.WriteLine("consumers: Vigil + PrometheusTextExporter, MEAI + metrics + spans");
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        using var meaiMetrics = new SummingMeterListener(BenchmarkScenario.OpenTelemetrySourceName);
        using var meaiTraces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BenchmarkScenario.OpenTelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(meaiTraces);
        Measure("Consumers", rows);
    }

    // What one observed GetResponse call does beside the inner call, piece by piece, with the same inputs.
    private static (string Name, Action Call)[] Pieces(VigilMetrics metrics, ChatResponse response)
    {
        var time = TimeProvider.System;
        var options = BenchmarkScenario.Options();
        var classifier = new ErrorClassifier();
        var scans = new RefusalScanBenchmarks();
        scans.Setup();
        var model = new KeyValuePair<string, object?>(MetricTags.Model, FakeChatClient.Model);
        return
        [
            ("2x GetTimestamp (no sink: no GetUtcNow)", () => _ = (time.GetTimestamp(), time.GetTimestamp())),
            ("VigilChatOptions.Get x2 (no sink: feature, tier)", () => _ = (VigilChatOptions.Get(options, VigilChatOptions.FeatureKey), VigilChatOptions.Get(options, VigilChatOptions.UserTierKey))),
            ("ClassifyResponse", () => classifier.ClassifyResponse(response.Text, ChatFinishReason.Stop, false, false, false)),
            ("  of which IsRefusal (RefusalScanner)", () => classifier.IsRefusal(response.Text)),
            ("  before: Contains(OIC) per phrase", () => scans.PerPhraseContains()),
            ("PriceCatalog.Quote (decimal; sink only)", () => PriceCatalog.Default.Quote(FakeChatClient.Model, 120, 40, 20)),
            ("7 measurements as RecordSuccess", () =>
            {
                var tags = new TagList { { MetricTags.Model, FakeChatClient.Model }, { MetricTags.Endpoint, "support" }, { MetricTags.Status, "success" }, { MetricTags.ErrorType, "none" } };
                metrics.Requests.Add(1, tags);
                metrics.RequestDuration.Record(0.5, model, new(MetricTags.Endpoint, "support"));
                metrics.Tokens.Add(120, model, new(MetricTags.TokenType, "input"));
                metrics.Tokens.Add(40, model, new(MetricTags.TokenType, "output"));
                metrics.Tokens.Add(20, model, new(MetricTags.TokenType, "cached"));
                metrics.Cost.Add(0.0001, model, new(MetricTags.Feature, "support"), new(MetricTags.UserTier, "pro"));
                metrics.CostPerInteraction.Record(0.0001, new KeyValuePair<string, object?>(MetricTags.Feature, "support"));
            }),
        ];
    }

    private static void Measure(string listener, (string Name, Action Call)[] rows, bool baseline = true)
    {
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1_000)
        {
            foreach (var row in rows)
            {
                row.Call();
            }
        }

        var samples = rows.Select(_ => new double[Turns]).ToArray();
        for (var turn = 0; turn < Turns; turn++)
        {
            for (var r = 0; r < rows.Length; r++)
            {
                var call = rows[r].Call;
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < CallsPerTurn; i++)
                {
                    call();
                }

                samples[r][turn] = watch.Elapsed.TotalNanoseconds / CallsPerTurn;
            }
        }

        for (var r = 0; r < rows.Length; r++)
        {
            var sorted = samples[r].Order().ToArray();
            var bare = baseline ? samples[r / 3 * 3].Min() : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{listener,-10} {rows[r].Name,-48} {sorted[0],8:F1} {sorted[Turns / 2],10:F1} {sorted[0] - bare,18:F1}"));
        }
    }
}
