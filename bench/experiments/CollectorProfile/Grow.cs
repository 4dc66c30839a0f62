using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.LoadTest;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Server.Storage;
using Vigil.Signals;
using Vigil.Reports;

// grow TOTAL GROUP: the store (SqliteVigilStore, PAGE env page size) with random ids as the table grows; per segment
// of TOTAL/6 records: writer CPU µs/record, wall µs/record, bytes written (wchar) per record, commit p99.
static class Grow
{
    public static async Task Run(int total, int group)
    {
        var gen = new InteractionGenerator(23, true);
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var buf = new ArrayBufferWriter<byte>();
        var batches = new List<SerializedInteractions>();
        Span<byte> id = stackalloc byte[InteractionGenerator.TraceIdLength];
        var now = DateTime.UtcNow;
        var cur = new List<InteractionRecord>(group);
        for (var i = 0; i < total; i++)
        {
            buf.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buf)) { InteractionGenerator.FormatTraceId(id, 0x5eed, (ulong)i, random: true); gen.Write(w, id, now.AddTicks(i * 200L - Random.Shared.Next(50_000_000))); }
            cur.Add(normalizer.Normalize(RecordParser.ParseInteraction(buf.WrittenSpan).Record!));
            if (cur.Count == group) { batches.Add(SerializedInteractions.Of(cur)); cur.Clear(); }
        }
        var dir = Path.Combine(Path.GetTempPath(), "vigil-exp-grow-" + Environment.ProcessId);
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        var page = int.Parse(Environment.GetEnvironmentVariable("PAGE") ?? "16384");
        var store = new SqliteVigilStore(dir, new SqliteVigilStoreOptions { PageSize = page });
        await store.InitializeAsync();
        Console.WriteLine($"grow: {total:N0} random ids, commits of {group}, page {page}, store {store.GetType().Name}");
        var seg = batches.Count / 6;
        for (var s = 0; s < 6; s++)
        {
            var cpu0 = ThreadCpu.Ns(); var w0 = Wchar(); var sw = Stopwatch.StartNew(); var ms = new List<double>();
            foreach (var b in batches.Skip(s * seg).Take(seg)) { var c = Stopwatch.StartNew(); await store.UpsertInteractionsAsync(b); ms.Add(c.Elapsed.TotalMilliseconds); }
            var n = seg * group; ms.Sort();
            Console.WriteLine($"  up to {(s + 1) * n,9:N0}: cpu {(ThreadCpu.Ns() - cpu0) / 1000 / n,6:N1} µs/rec, wall {sw.Elapsed.TotalMicroseconds / n,6:N1} µs/rec, written {(Wchar() - w0) / n,7:N0} B/rec, commit p50 {ms[ms.Count / 2]:N1} p99 {ms[(int)(ms.Count * 0.99)]:N1} max {ms[^1]:N1} ms, wal {new FileInfo(Path.Combine(dir, "vigil.db-wal")).Length >> 20} MiB");
        }
        await store.DisposeAsync();
        Directory.Delete(dir, true);
    }

    static long Wchar() => long.Parse(File.ReadLines("/proc/self/io").First(l => l.StartsWith("wchar")).Split(':')[1]);
}

// alloc: bytes allocated per record by each step of the collector's ingest path (one thread, 100 batches of 500).
static class Alloc
{
    public static void Run()
    {
        var gen = new InteractionGenerator(29, true);
        var bodies = new List<byte[]>();
        Span<byte> id = stackalloc byte[InteractionGenerator.TraceIdLength];
        long seq = 0;
        for (var b = 0; b < 100; b++)
        {
            var buf = new ArrayBufferWriter<byte>();
            using var w = new Utf8JsonWriter(buf);
            w.WriteStartObject(); w.WriteStartArray("interactions");
            for (var i = 0; i < 500; i++) { InteractionGenerator.FormatTraceId(id, 0xabc, (ulong)seq++, random: true); gen.Write(w, id, DateTime.UtcNow); }
            w.WriteEndArray(); w.WriteEndObject(); w.Flush();
            bodies.Add(buf.WrittenSpan.ToArray());
        }
        var metrics = new Vigil.Metrics.VigilMetrics();
        using var exporter = new Vigil.Metrics.PrometheusTextExporter(metrics.Meter);
        var pipeline = new SignalPipeline(new SignalOptions(), PriceCatalog.Default, new Vigil.Metrics.RecordMetricsRecorder(metrics, new Vigil.Configuration.VigilOptions()), TimeProvider.System);
        for (var rep = 0; rep < 3; rep++)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            var parsed = bodies.Select(b => Vigil.Server.Ingest.BodyParser.Interactions(b, 1000).Records).ToList();
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            var normalized = parsed.Select(l => l.ConvertAll(r => pipeline.Normalizer.Normalize(r))).ToList();
            long a2 = GC.GetAllocatedBytesForCurrentThread();
            var ser = normalized.Select(l => SerializedInteractions.Of(l)).ToList();
            long a3 = GC.GetAllocatedBytesForCurrentThread();
            foreach (var l in normalized) foreach (var r in l) pipeline.OnStored(r, null);
            long a4 = GC.GetAllocatedBytesForCurrentThread();
            const double n = 50_000;
            Console.WriteLine($"alloc B/record: parse {(a1 - a0) / n:N0}, normalize {(a2 - a1) / n:N0}, serialize {(a3 - a2) / n:N0}, pipeline.OnStored {(a4 - a3) / n:N0}");
        }
    }
}
