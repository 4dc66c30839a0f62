using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Classification;
using Vigil.Metrics;
using Vigil.Pricing;

namespace Vigil.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Vigil.Benchmarks -- --probe</c>: bytes and nanoseconds per call of
/// the whole middleware and of the pieces it is made of, measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> and a stopwatch over many calls. Rougher than
/// BenchmarkDotNet (no pilot, no outlier removal) but it splits the cost by piece, which the benchmarks cannot.
/// </summary>
public static class AllocationProbe
{
    private const int Iterations = 100_000;

    public static void Run()
    {
        var inner = new FakeChatClient();
        var metrics = new VigilMetrics();
        IChatClient vigil = new ChatClientBuilder(inner).UseVigil().Build(new SingleServiceProvider(metrics));
        IChatClient meai = new ChatClientBuilder(inner).UseOpenTelemetry(sourceName: BenchmarkScenario.OpenTelemetrySourceName).Build();
        var messages = BenchmarkScenario.Messages();
        var options = BenchmarkScenario.Options();
        var response = inner.GetResponseAsync(messages).GetAwaiter().GetResult();
        var updates = new List<ChatResponseUpdate>();
        var enumerator = inner.GetStreamingResponseAsync(messages).GetAsyncEnumerator();
        while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            updates.Add(enumerator.Current);
        }

        CountMeasurements(vigil, meai, messages, options);
        Console.WriteLine($"{"piece",-62} {"B/op",8} {"ns/op",8}");

        Measure("bare GetResponse", () => inner.GetResponseAsync(messages, options).GetAwaiter().GetResult());
        Measure("bare streaming (5 updates)", () => BenchmarkScenario.DrainAsync(inner, messages, options).GetAwaiter().GetResult());
        Measure("Vigil GetResponse, nobody listens", () => vigil.GetResponseAsync(messages, options).GetAwaiter().GetResult());
        Measure("Vigil streaming, nobody listens", () => BenchmarkScenario.DrainAsync(vigil, messages, options).GetAwaiter().GetResult());
        Measure("MEAI GetResponse, nobody listens", () => meai.GetResponseAsync(messages, options).GetAwaiter().GetResult());
        Measure("MEAI streaming, nobody listens", () => BenchmarkScenario.DrainAsync(meai, messages, options).GetAwaiter().GetResult());

        Console.WriteLine("-- with a summing MeterListener on both meters");
        using (new SummingMeterListener(MetricNames.MeterName, BenchmarkScenario.OpenTelemetrySourceName))
        {
            Measure("Vigil GetResponse", () => vigil.GetResponseAsync(messages, options).GetAwaiter().GetResult());
            Measure("Vigil streaming", () => BenchmarkScenario.DrainAsync(vigil, messages, options).GetAwaiter().GetResult());
            Measure("MEAI GetResponse", () => meai.GetResponseAsync(messages, options).GetAwaiter().GetResult());
            Measure("MEAI streaming", () => BenchmarkScenario.DrainAsync(meai, messages, options).GetAwaiter().GetResult());

            Console.WriteLine("-- pieces of Vigil's observed path (listener on)");
            var time = TimeProvider.System;
            Measure("TimeProvider.GetTimestamp + GetUtcNow", () => (time.GetTimestamp(), time.GetUtcNow()));
            Measure("VigilChatOptions.Get x2 (feature, tier)", () => (VigilChatOptions.Get(options, VigilChatOptions.FeatureKey), VigilChatOptions.Get(options, VigilChatOptions.UserTierKey)));
            var guard = new LabelGuard(MetricTags.Model, null, 50, metrics);
            Measure("LabelGuard.Apply", () => guard.Apply(FakeChatClient.Model));
            Measure("CallScope (a struct now)", () => new CallScope
            {
                StartTimestamp = 1, Model = "m", ModelLabel = "m", Feature = "f", FeatureLabel = "f", UserTier = "t", UserTierLabel = "t",
            });
            Measure("ChatResponse.Text", () => response.Text);
            Measure("foreach over response.Messages and each Contents (IList)", () =>
            {
                var calls = false;
                foreach (var message in response.Messages)
                {
                    foreach (var content in message.Contents)
                    {
                        calls |= content is FunctionCallContent;
                    }
                }

                return calls;
            });
            Measure("foreach over update.Contents (IList) x5", () =>
            {
                var n = 0;
                foreach (var update in updates)
                {
                    foreach (var content in update.Contents)
                    {
                        n += content is TextContent ? 1 : 0;
                    }
                }

                return n;
            });
            Measure("async Task<ChatResponse> completing synchronously", () => PassThroughAsync(inner, messages, options).GetAwaiter().GetResult());
            var classifier = new ErrorClassifier();
            Measure("ErrorClassifier.ClassifyResponse", () => classifier.ClassifyResponse(response.Text, ChatFinishReason.Stop, false, false, false));
            Measure("  of which IsRefusal (RefusalScanner)", () => classifier.IsRefusal(response.Text));
            var before = new RefusalScanBenchmarks();
            before.Setup();
            Measure("  before: Contains(OrdinalIgnoreCase) per phrase", () => before.PerPhraseContains());
            Measure("PriceCatalog.Quote (catalog model)", () => PriceCatalog.Default.Quote(FakeChatClient.Model, 120, 40, 20));
            Measure("PriceCatalog.Quote (dated variant, prefix scan)", () => PriceCatalog.Default.Quote("gpt-4.1-mini-2025-04-14", 120, 40, 20));
            Measure("StreamTracker (struct, pooled text): Observe x5 + classify + release", () =>
            {
                var tracker = new StreamTracker(200);
                foreach (var update in updates)
                {
                    if (tracker.Observe(update))
                    {
                        tracker.MarkToken(1);
                    }
                }

                var soft = classifier.ClassifyResponse(tracker.Text, null, tracker.FinishReason, false, false, false, false);
                tracker.ReleaseText();
                return soft;
            });
            Measure("  of which StringBuilder: 4 appends + ToString", () =>
            {
                var builder = new System.Text.StringBuilder();
                builder.Append("Sure.").Append(" Here is").Append(" a short answer").Append(" to your question.");
                return builder.ToString();
            });
            Measure("Counter.Add, TagList of 4 (llm_requests_total)", () =>
            {
                var tags = new TagList { { MetricTags.Model, "m" }, { MetricTags.Endpoint, "f" }, { MetricTags.Status, "success" }, { MetricTags.ErrorType, "none" } };
                metrics.Requests.Add(1, tags);
                return 0;
            });
            var model = new KeyValuePair<string, object?>(MetricTags.Model, "m");
            Measure("Histogram.Record, 2 tags", () =>
            {
                metrics.RequestDuration.Record(0.5, model, new(MetricTags.Endpoint, "f"));
                return 0;
            });
            var writer = new MetricCatalogWriter(metrics);
            var figures = new Vigil.Records.InteractionFigures
            {
                Model = FakeChatClient.Model, Feature = "support", UserTier = "pro", Status = Vigil.Records.InteractionStatus.Success,
                LatencyMs = 120, InputTokens = 120, OutputTokens = 40, CachedTokens = 20, CostUsd = 0.0001m,
            };
            Measure("MetricCatalogWriter.Write (7 measurements)", () =>
            {
                writer.Write(in figures, "m", "f", "t");
                return 0;
            });
            Measure("Counter<long>.Add x3, 2 tags (tokens)", () =>
            {
                metrics.Tokens.Add(1, model, new(MetricTags.TokenType, "input"));
                metrics.Tokens.Add(1, model, new(MetricTags.TokenType, "output"));
                metrics.Tokens.Add(1, model, new(MetricTags.TokenType, "cached"));
                return 0;
            });
        }

        Console.WriteLine("-- with Vigil's PrometheusTextExporter (Vigil meter only)");
        using (var exporter = new PrometheusTextExporter(metrics.Meter))
        {
            Measure("Vigil GetResponse", () => vigil.GetResponseAsync(messages, options).GetAwaiter().GetResult());
            Measure("Vigil streaming", () => BenchmarkScenario.DrainAsync(vigil, messages, options).GetAwaiter().GetResult());
            var model = new KeyValuePair<string, object?>(MetricTags.Model, "m");
            Measure("one measurement, 1 tag (exporter builds the series key)", () =>
            {
                metrics.CostPerInteraction.Record(0.5, new KeyValuePair<string, object?>(MetricTags.Feature, "f"));
                return 0;
            });
            Measure("one measurement, 2 tags", () =>
            {
                metrics.RequestDuration.Record(0.5, model, new(MetricTags.Endpoint, "f"));
                return 0;
            });
            Measure("one measurement, 4 tags", () =>
            {
                var tags = new TagList { { MetricTags.Model, "m" }, { MetricTags.Endpoint, "f" }, { MetricTags.Status, "success" }, { MetricTags.ErrorType, "none" } };
                metrics.Requests.Add(1, tags);
                return 0;
            });
            Measure("Scrape() (per scrape, not per call)", exporter.Scrape, iterations: 2_000);
        }

        vigil.Dispose();
        meai.Dispose();
        metrics.Dispose();
    }

    // How many measurements one call hands a listener, and on how many distinct instruments: "recording more" in numbers.
    private static void CountMeasurements(IChatClient vigil, IChatClient meai, List<ChatMessage> messages, ChatOptions options)
    {
        var seen = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is MetricNames.MeterName or BenchmarkScenario.OpenTelemetrySourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((i, _, tags, _) => seen.Add($"{i.Name}{{{string.Join(',', tags.ToArray().Select(t => t.Key))}}}"));
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => seen.Add($"{i.Name}{{{string.Join(',', tags.ToArray().Select(t => t.Key))}}}"));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => seen.Add($"{i.Name}{{{string.Join(',', tags.ToArray().Select(t => t.Key))}}}"));
        listener.Start();
        foreach (var (name, call) in new (string, Action)[]
        {
            ("Vigil GetResponse", () => vigil.GetResponseAsync(messages, options).GetAwaiter().GetResult()),
            ("Vigil streaming", () => BenchmarkScenario.DrainAsync(vigil, messages, options).GetAwaiter().GetResult()),
            ("MEAI GetResponse", () => meai.GetResponseAsync(messages, options).GetAwaiter().GetResult()),
            ("MEAI streaming", () => BenchmarkScenario.DrainAsync(meai, messages, options).GetAwaiter().GetResult()),
        })
        {
            seen.Clear();
            call();
            Console.WriteLine($"{name}: {seen.Count} measurements on {seen.Select(s => s[..s.IndexOf('{', StringComparison.Ordinal)]).Distinct().Count()} instruments");
            foreach (var group in seen.GroupBy(s => s))
            {
                Console.WriteLine($"    {group.Count()} x {group.Key}");
            }
        }

        Console.WriteLine();
    }

    private static async Task<ChatResponse> PassThroughAsync(FakeChatClient client, List<ChatMessage> messages, ChatOptions options) =>
        await client.GetResponseAsync(messages, options).ConfigureAwait(false);

    private static void Measure<T>(string name, Func<T> action, int iterations = Iterations)
    {
        // Warm up long enough for tiered compilation to reach tier 1, then keep the best of three rounds.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300)
        {
            action();
        }

        var bytes = double.MaxValue;
        var ns = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            watch.Stop();
            bytes = Math.Min(bytes, (double)(GC.GetAllocatedBytesForCurrentThread() - before) / iterations);
            ns = Math.Min(ns, watch.Elapsed.TotalNanoseconds / iterations);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-62} {bytes,8:F0} {ns,8:F0}"));
    }
}
