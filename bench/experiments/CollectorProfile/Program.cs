// Experiments behind docs/benchmarks-collector.md; per-record wall and thread-CPU time (clock_gettime), no BenchmarkDotNet.
//   dotnet run -c Release -- [BATCHES [GROUP [none]]]    ingest components: parse, normalize, serialize, SqliteVigilStore
//                                                      upsert, SignalPipeline.OnStored (with the Prometheus exporter
//                                                      listening), raw SQLite variants (page size, indexes)
//   dotnet run -c Release -- report FILE.jsonl          vigil report's per-line phases, single thread (FIGURES_ONLY=1:
//                                                      only the figures path: fast reader, normalize, aggregate)
//   dotnet run -c Release -- reportgc FILE [WARMUP]     the report reader in process, three repeats, GC counts, allocations
//   dotnet run -c Release -- bloom EXPECTED [COUNT]     the trace_id filter alone: time and false positives of COUNT random ids
//   dotnet run -c Release -- sqlitepage GROUPS SIZE     the store with 4 KiB vs 16 KiB pages
//   dotnet run -c Release -- commits GROUPS SIZE        per-commit times of the store (the checkpoint stalls)
//   [TRACE_IDS=random] dotnet run -c Release -- ckpt GROUPS SIZE   raw replica of the writer: inline vs background checkpoints
//   dotnet run -c Release -- pg CONNECTION GROUPS SIZE  PostgresVigilStore vs INSERT variants vs binary COPY
//                                                      (PostgreSQL CPU read from /proc of /tmp/vigil-postgres-<port>)
//   dotnet run -c Release -- parseonly FILE.jsonl       a loop of RecordParser.ParseInteraction, for perf record
// Quick and dirty on purpose; numbers move with the machine's load, so compare rows of one run.
using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.LoadTest;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Reports.FastReading;
using Vigil.Server.Ingest;
using Vigil.Server.Storage;
using Vigil.Signals;

if (args.Length > 0 && args[0] == "parseonly") { var bb = File.ReadAllBytes(args[1]); var ls = new List<(int, int)>(); var a0 = 0; while (a0 < bb.Length) { var e = bb.AsSpan(a0).IndexOf((byte)'\n'); if (e < 0) break; ls.Add((a0, e)); a0 += e + 1; } long k = 0; for (var rep = 0; rep < 30; rep++) foreach (var (s0, l) in ls) k += RecordParser.ParseInteraction(bb.AsSpan(s0, l)).Record!.LatencyMs > 0 ? 1 : 0; Console.WriteLine(k); return; }
if (args.Length > 0 && args[0] == "alloc") { Alloc.Run(); return; }
if (args.Length > 0 && args[0] == "grow") { await Grow.Run(int.Parse(args[1]), int.Parse(args[2])); return; }
if (args.Length > 0 && args[0] == "ckpt") { await Ckpt.Run(int.Parse(args[1]), int.Parse(args[2])); return; }
if (args.Length > 0 && args[0] == "commits") { await Commits.Run(int.Parse(args[1]), int.Parse(args[2])); return; }
if (args.Length > 0 && args[0] == "sqlitepage") { await SqlitePage.Run(int.Parse(args[1]), int.Parse(args[2])); return; }
if (args.Length > 0 && args[0] == "pg") { await PgExp.Run(args[1], int.Parse(args[2]), int.Parse(args[3])); return; }
if (args.Length > 0 && args[0] == "bloom") { for (var rep = 0; rep < 4; rep++) { var sw = Stopwatch.StartNew(); var f = new TraceIdRepeatFilter(long.Parse(args[1])); var rnd = new Random(rep); long hits = 0; var count = args.Length > 2 ? int.Parse(args[2]) : 1_000_000; for (var i = 0; i < count; i++) hits += f.AddAndCheck((ulong)rnd.NextInt64()) ? 1 : 0; Console.WriteLine($"bloom {sw.Elapsed.TotalMilliseconds:N0} ms hits {hits}"); } return; }
if (args.Length > 0 && args[0] == "reportgc") { for (var rep = 0; rep < 3; rep++) { if (args.Length > 2 && rep == 0) { var w = await new JsonlReportReader(new InteractionNormalizer(PriceCatalog.Default)).ReadInteractionsAsync(args[2], null, null, _ => { }); Console.WriteLine("warm-up " + args[2]); } var g0 = GC.CollectionCount(0); var g1 = GC.CollectionCount(1); var g2 = GC.CollectionCount(2); var al = GC.GetTotalAllocatedBytes(); var pz = GC.GetTotalPauseDuration(); var sw0 = Stopwatch.StartNew(); var cpu0 = Process.GetCurrentProcess().TotalProcessorTime; var agg = await new JsonlReportReader(new InteractionNormalizer(PriceCatalog.Default)).ReadInteractionsAsync(args[1], null, null, _ => { }); Console.WriteLine($"{sw0.Elapsed.TotalSeconds:N2} s wall, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds:N2} s, gc {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}, pause {(GC.GetTotalPauseDuration() - pz).TotalMilliseconds:N0} ms, alloc {(GC.GetTotalAllocatedBytes() - al) / 1e6:N0} MB, req {agg.Sla["global"].Requests}"); } return; }
if (args.Length > 0 && args[0] == "report") { await ReportPhases.Run(args[1]); return; }
const int Batch = 500;
var batches = int.Parse(args.Length > 0 ? args[0] : "200");
var group = int.Parse(args.Length > 1 ? args[1] : "8"); // requests per group commit
var withContent = !(args.Length > 2 && args[2] == "none");
var total = batches * Batch;

// Bodies like the load tool's.
var bodies = new List<byte[]>();
var gen = new InteractionGenerator(7, withContent);
long seq = 0;
var now = DateTime.UtcNow;
for (var b = 0; b < batches; b++)
{
    var buf = new ArrayBufferWriter<byte>();
    using var w = new Utf8JsonWriter(buf);
    w.WriteStartObject(); w.WriteStartArray("interactions");
    Span<byte> id = stackalloc byte[InteractionGenerator.TraceIdLength];
    for (var i = 0; i < Batch; i++) { InteractionGenerator.FormatTraceId(id, 0xabcdef01, (ulong)seq++, random: false); gen.Write(w, id, now.AddTicks(seq * 200 - Random.Shared.Next(50_000_000))); }
    w.WriteEndArray(); w.WriteEndObject(); w.Flush();
    bodies.Add(buf.WrittenSpan.ToArray());
}
Console.WriteLine($"{total:N0} records, {bodies.Average(b => b.Length) / Batch:N0} B/record, group {group} x {Batch}");

double Us(Stopwatch sw) => sw.Elapsed.TotalMicroseconds / total;
double CpuUs(double startNs) => (ThreadCpu.Ns() - startNs) / 1000.0 / total;

// Warm-up JIT on a copy of the work.
for (var rep = 0; rep < 2; rep++)
{
    var cpu0 = ThreadCpu.Ns(); var sw = Stopwatch.StartNew();
    long parsedCount = 0;
    foreach (var b in bodies) parsedCount += BodyParser.Interactions(b, 1000).Records.Count;
    sw.Stop();
    Console.WriteLine($"parse, not retained            {Us(sw),7:N2} us/record wall, {CpuUs(cpu0),6:N2} cpu");
    cpu0 = ThreadCpu.Ns(); sw.Restart();
    var parsed = bodies.Select(b => BodyParser.Interactions(b, 1000).Records).ToList();
    sw.Stop();
    Console.WriteLine($"parse (BodyParser)            {Us(sw),7:N2} us/record wall, {CpuUs(cpu0),6:N2} cpu");

    var metrics = new VigilMetrics();
    using var exporter = new PrometheusTextExporter(metrics.Meter);
    var pipeline = new SignalPipeline(new SignalOptions(), PriceCatalog.Default, new RecordMetricsRecorder(metrics, new Vigil.Configuration.VigilOptions()), TimeProvider.System);
    cpu0 = ThreadCpu.Ns(); sw.Restart();
    var normalized = parsed.Select(l => l.ConvertAll(r => pipeline.Normalizer.Normalize(r))).ToList();
    sw.Stop();
    Console.WriteLine($"normalize                     {Us(sw),7:N2} us/record wall, {CpuUs(cpu0),6:N2} cpu");

    cpu0 = ThreadCpu.Ns(); sw.Restart();
    long bytes = 0;
    foreach (var l in normalized) foreach (var r in l) bytes += JsonSerializer.SerializeToUtf8Bytes(r, VigilJsonContext.Default.InteractionRecord).Length;
    sw.Stop();
    Console.WriteLine($"serialize (SerializeToUtf8)   {Us(sw),7:N2} us/record wall, {CpuUs(cpu0),6:N2} cpu ({bytes / total} B)");

    var groups = normalized.Chunk(group).Select(c => (IReadOnlyList<InteractionRecord>)c.SelectMany(x => x).ToList()).ToList();
    var dir = Path.Combine(Path.GetTempPath(), "vigil-exp-" + Guid.NewGuid().ToString("N"));
    var store = new SqliteVigilStore(dir);
    await store.InitializeAsync();
    cpu0 = ThreadCpu.Ns(); sw.Restart();
    var replacedAll = new List<IReadOnlyList<InteractionRecord?>>();
    foreach (var g in groups) replacedAll.Add(await store.UpsertInteractionsAsync(g));
    sw.Stop();
    Console.WriteLine($"SqliteVigilStore.Upsert       {Us(sw),7:N2} us/record wall, {CpuUs(cpu0),6:N2} cpu (fresh db, {groups.Count} commits)");
    await store.DisposeAsync();

    cpu0 = ThreadCpu.Ns(); sw.Restart();
    for (var gi = 0; gi < groups.Count; gi++) for (var i = 0; i < groups[gi].Count; i++) pipeline.OnStored(groups[gi][i], replacedAll[gi][i]);
    sw.Stop();
    Console.WriteLine($"pipeline.OnStored (+exporter) {Us(sw),7:N2} us/record wall, {CpuUs(cpu0),6:N2} cpu");

    // Raw SQLite variants, same data, fresh db each.
    var payloads = groups.Select(g => g.Select(r => (r.TraceId, r.Timestamp.ToUnixTimeMilliseconds() * 1000, JsonSerializer.SerializeToUtf8Bytes(r, VigilJsonContext.Default.InteractionRecord))).ToList()).ToList();
    foreach (var (name, schema, sql, select) in new[]
    {
        ("as store: upsert + select + 2 idx", "CREATE TABLE interactions (trace_id TEXT PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL); CREATE INDEX interactions_ts ON interactions (ts);", "INSERT INTO interactions (trace_id, ts, json) VALUES ($id, $ts, CAST($json AS TEXT)) ON CONFLICT (trace_id) DO UPDATE SET ts = excluded.ts, json = excluded.json", true),
        ("upsert, no select", "CREATE TABLE interactions (trace_id TEXT PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL); CREATE INDEX interactions_ts ON interactions (ts);", "INSERT INTO interactions (trace_id, ts, json) VALUES ($id, $ts, CAST($json AS TEXT)) ON CONFLICT (trace_id) DO UPDATE SET ts = excluded.ts, json = excluded.json", false),
        ("upsert, no select, no ts idx", "CREATE TABLE interactions (trace_id TEXT PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL);", "INSERT INTO interactions (trace_id, ts, json) VALUES ($id, $ts, CAST($json AS TEXT)) ON CONFLICT (trace_id) DO UPDATE SET ts = excluded.ts, json = excluded.json", false),
        ("WITHOUT ROWID (trace_id PK) + ts idx", "CREATE TABLE interactions (trace_id TEXT PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID; CREATE INDEX interactions_ts ON interactions (ts);", "INSERT INTO interactions (trace_id, ts, json) VALUES ($id, $ts, CAST($json AS TEXT)) ON CONFLICT (trace_id) DO UPDATE SET ts = excluded.ts, json = excluded.json", true),
        ("as store, page_size 16384", "PRAGMA page_size = 16384; CREATE TABLE interactions (trace_id TEXT PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL); CREATE INDEX interactions_ts ON interactions (ts);", "INSERT INTO interactions (trace_id, ts, json) VALUES ($id, $ts, CAST($json AS TEXT)) ON CONFLICT (trace_id) DO UPDATE SET ts = excluded.ts, json = excluded.json", true),
        ("plain insert into rowid table only", "CREATE TABLE interactions (trace_id TEXT NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL);", "INSERT INTO interactions (trace_id, ts, json) VALUES ($id, $ts, CAST($json AS TEXT))", false),
    })
    {
        var path = Path.Combine(Path.GetTempPath(), "vigil-exp-raw-" + Guid.NewGuid().ToString("N") + ".db");
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        foreach (var p in new[] { schema.StartsWith("PRAGMA page_size") ? schema.Split(";")[0] : "SELECT 1", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -65536", schema.StartsWith("PRAGMA page_size") ? string.Join(";", schema.Split(";").Skip(1)) : schema }) { using var x = c.CreateCommand(); x.CommandText = p; x.ExecuteNonQuery(); }
        using var ins = c.CreateCommand(); ins.CommandText = sql;
        var pid = ins.Parameters.Add("$id", SqliteType.Text); var pts = ins.Parameters.Add("$ts", SqliteType.Integer); var pjs = ins.Parameters.Add("$json", SqliteType.Blob);
        ins.Prepare();
        using var sel = c.CreateCommand(); sel.CommandText = "SELECT trace_id, json FROM interactions WHERE trace_id IN (SELECT value FROM json_each(CAST($ids AS TEXT)))";
        var pids = sel.Parameters.Add("$ids", SqliteType.Blob);
        cpu0 = ThreadCpu.Ns(); sw.Restart();
        foreach (var g in payloads)
        {
            using var tx = c.BeginTransaction();
            ins.Transaction = tx; sel.Transaction = tx;
            if (select)
            {
                pids.Value = JsonSerializer.SerializeToUtf8Bytes(g.Select(x => x.TraceId).ToArray());
                using var rd = sel.ExecuteReader(); while (rd.Read()) { }
            }
            foreach (var (id, ts, json) in g) { pid.Value = id; pts.Value = ts; pjs.Value = json; ins.ExecuteNonQuery(); }
            tx.Commit();
        }
        sw.Stop();
        Console.WriteLine($"raw sqlite: {name,-34} {Us(sw),7:N2} us/record wall, {CpuUs(cpu0),6:N2} cpu (pre-serialized)");
        c.Close();
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*")) File.Delete(f);
    }
    Directory.Delete(dir, true);
    Console.WriteLine();
}

static class ThreadCpu
{
    [System.Runtime.InteropServices.DllImport("libc")] private static extern int clock_gettime(int clk, out Timespec ts);
    private struct Timespec { public long Sec; public long Nsec; }
    public static double Ns() { clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t); return t.Sec * 1e9 + t.Nsec; }
}

static class ReportPhases
{
    public static Task Run(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var lines = new List<(int Start, int Length)>();
        var at = 0;
        while (at < bytes.Length) { var end = bytes.AsSpan(at).IndexOf((byte)'\n'); if (end < 0) end = bytes.Length - at; lines.Add((at, end)); at += end + 1; }
        var n = lines.Count;
        Console.WriteLine($"{n:N0} lines, {bytes.Length / (double)n:N0} B/line; per-line thread CPU, min of 5 (µs):");
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var results = new Dictionary<string, double>();
        void Measure(string name, Action body)
        {
            var best = double.MaxValue;
            for (var r = 0; r < 5; r++) { var c0 = ThreadCpu.Ns(); body(); best = Math.Min(best, (ThreadCpu.Ns() - c0) / 1000.0 / n); }
            results[name] = best;
            Console.WriteLine($"  {name,-48} {best,6:N2}");
        }
        long sink = 0;
        var strings = new AsciiStringCache();
        var figs = new InteractionFigures[n];
        Measure("figures: InteractionFiguresReader.TryRead", () => { for (var i = 0; i < n; i++) { if (!InteractionFiguresReader.TryRead(bytes.AsSpan(lines[i].Start, lines[i].Length), strings, out figs[i], out var id)) throw new InvalidOperationException("line " + i); sink += id.Length; } });
        Measure("figures: trace_id hash", () => { for (var i = 0; i < n; i++) { InteractionFiguresReader.TryRead(bytes.AsSpan(lines[i].Start, lines[i].Length), strings, out _, out var id); sink += (long)StableHash.Of(id); } });
        Measure("figures: Normalize(ref)", () => { for (var i = 0; i < n; i++) { var f = figs[i]; normalizer.Normalize(ref f); sink += f.CostUsd > 0 ? 1 : 0; } });
        for (var i = 0; i < n; i++) normalizer.Normalize(ref figs[i]);
        Measure("figures: SignalAggregate.Add(in)", () => { var a = new SignalAggregate(); for (var i = 0; i < n; i++) a.Add(in figs[i]); sink += a.CachedTokens; });
        if (Environment.GetEnvironmentVariable("FIGURES_ONLY") == "1") return Task.CompletedTask;
        Measure("split lines (IndexOf '\\n')", () => { var sp = bytes.AsSpan(); var c = 0; while (!sp.IsEmpty) { var e = sp.IndexOf((byte)'\n'); if (e < 0) break; c++; sp = sp[(e + 1)..]; } sink += c; });
        Measure("pass 1: trace_id via Utf8JsonReader + hash", () => { foreach (var (s0, l) in lines) { var r = new Utf8JsonReader(bytes.AsSpan(s0, l)); r.Read(); while (r.Read() && r.TokenType == JsonTokenType.PropertyName) { if (r.ValueTextEquals("trace_id"u8)) { r.Read(); uint h = 2166136261; foreach (var b in r.ValueSpan) h = (h ^ b) * 16777619; sink += h & 1; break; } r.TrySkip(); } } });
        var records = new InteractionRecord[n];
        Measure("RecordParser.ParseInteraction (read+validate)", () => { for (var i = 0; i < n; i++) sink += RecordParser.ParseInteraction(bytes.AsSpan(lines[i].Start, lines[i].Length)).Record!.LatencyMs > 0 ? 1 : 0; });
        for (var i = 0; i < n; i++) records[i] = RecordParser.ParseInteraction(bytes.AsSpan(lines[i].Start, lines[i].Length)).Record!;
        Measure("  of which RecordValidator.Validate", () => { foreach (var r in records) sink += RecordValidator.Validate(r).Count; });
        Measure("Utf8JsonReader walk, no values", () => { foreach (var (s0, l) in lines) { var r = new Utf8JsonReader(bytes.AsSpan(s0, l)); while (r.Read()) { } sink += r.BytesConsumed; } });
        Measure("Utf8JsonReader walk + GetString every string", () => { foreach (var (s0, l) in lines) { var r = new Utf8JsonReader(bytes.AsSpan(s0, l)); while (r.Read()) { if (r.TokenType == JsonTokenType.String) sink += r.GetString()!.Length; } } });
        Measure("walk + GetString + TryGetDateTimeOffset + numbers", () => { foreach (var (s0, l) in lines) { var r = new Utf8JsonReader(bytes.AsSpan(s0, l)); var ts = false; while (r.Read()) { if (r.TokenType == JsonTokenType.PropertyName) ts = r.ValueTextEquals("timestamp"u8); else if (r.TokenType == JsonTokenType.String) { if (ts) { r.TryGetDateTimeOffset(out var d); sink += d.Second; } else sink += r.GetString()!.Length; } else if (r.TokenType == JsonTokenType.Number) { r.TryGetDouble(out var v); sink += (long)v; } } } });
        Measure("JsonSerializer.Deserialize (VigilJsonContext)", () => { foreach (var (s0, l) in lines) sink += JsonSerializer.Deserialize(bytes.AsSpan(s0, l), VigilJsonContext.Default.InteractionRecord)!.LatencyMs > 0 ? 1 : 0; });
        var normalized = new InteractionRecord[n];
        Measure("InteractionNormalizer.Normalize", () => { for (var i = 0; i < n; i++) sink += normalizer.Normalize(records[i]).CostUsd > 0 ? 1 : 0; });
        for (var i = 0; i < n; i++) normalized[i] = normalizer.Normalize(records[i]);
        Measure("SignalAggregate.Add", () => { var a = new SignalAggregate(); foreach (var r in normalized) a.Add(r); sink += a.CachedTokens; });
        Measure("JsonDocument.Parse (reference: generic DOM)", () => { foreach (var (s0, l) in lines) { using var d = JsonDocument.Parse(bytes.AsMemory(s0, l)); sink += d.RootElement.GetArrayLength2(); } });
        Console.WriteLine($"  sum of pass 1 + parse + normalize + add: {results.Where(p => p.Key.StartsWith("pass 1") || p.Key.StartsWith("RecordParser") || p.Key.StartsWith("Interaction") || p.Key.StartsWith("SignalAggregate")).Sum(p => p.Value):N2} µs/line (sink {sink})");
        return Task.CompletedTask;
    }
    static int GetArrayLength2(this JsonElement e) => e.ValueKind == JsonValueKind.Object ? 1 : 0;
}

static class PgExp
{
    static long PgTicks(int port)
    {
        var pm = int.Parse(File.ReadLines($"/tmp/vigil-postgres-{port}/data/postmaster.pid").First());
        long sum = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat; try { stat = File.ReadAllText($"{dir}/stat"); } catch { continue; }
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (pid != pm && f[1] != pm.ToString()) continue;
            sum += long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]);
        }
        return sum;
    }

    public static async Task Run(string conn, int groups, int groupSize)
    {
        var port = int.Parse(conn.Split(';').First(p => p.StartsWith("Port=")).Substring(5));
        var total = groups * groupSize;
        var gen = new InteractionGenerator(11, true);
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var buf = new ArrayBufferWriter<byte>();
        var all = new List<InteractionRecord>(total);
        Span<byte> id = stackalloc byte[InteractionGenerator.TraceIdLength];
        var now = DateTime.UtcNow;
        for (var i = 0; i < total; i++)
        {
            buf.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buf)) { InteractionGenerator.FormatTraceId(id, 0x5eed, (ulong)i, random: false); gen.Write(w, id, now.AddTicks(i * 200L - Random.Shared.Next(50_000_000))); }
            all.Add(normalizer.Normalize(RecordParser.ParseInteraction(buf.WrittenSpan).Record!));
        }
        var batches = all.Chunk(groupSize).Select(c => (IReadOnlyList<InteractionRecord>)c).ToList();
        Console.WriteLine($"{total:N0} records in {groups} commits of {groupSize}");
        await using var ds = Npgsql.NpgsqlDataSource.Create(conn);
        async Task Exec(string sql) { await using var c = ds.CreateCommand(sql); await c.ExecuteNonQueryAsync(); }
        async Task Fresh(bool tsIndex)
        {
            await Exec("DROP TABLE IF EXISTS interactions, feedback, evaluations");
            await Exec("CREATE TABLE interactions (trace_id TEXT PRIMARY KEY, ts BIGINT NOT NULL, json TEXT NOT NULL)");
            if (tsIndex) await Exec("CREATE INDEX interactions_ts ON interactions (ts)");
            await Exec("CHECKPOINT");
        }
        async Task Measure(string name, Func<IReadOnlyList<InteractionRecord>, Task> commit, bool tsIndex = true)
        {
            await Fresh(tsIndex);
            var pg0 = PgTicks(port); var cpu0 = ThreadCpuAll(); var sw = Stopwatch.StartNew();
            foreach (var b in batches) await commit(b);
            sw.Stop();
            var pg = (PgTicks(port) - pg0) / 100.0; var cpu = ThreadCpuAll() - cpu0;
            Console.WriteLine($"  {name,-58} wall {sw.Elapsed.TotalMicroseconds / total,6:N1} µs/rec  postgres CPU {pg * 1e6 / total,6:N1} µs/rec  client CPU {cpu * 1e6 / total,5:N1} µs/rec");
        }
        var store = new PostgresVigilStore(conn);
        await store.InitializeAsync();
        for (var rep = 0; rep < 2; rep++)
        {
            Console.WriteLine($"rep {rep + 1}");
            await Measure("PostgresVigilStore.UpsertInteractionsAsync (as is)", b => store.UpsertInteractionsAsync(b));
            await Measure("  same, without the ts index", b => store.UpsertInteractionsAsync(b), tsIndex: false);
            await Measure("INSERT unnest ON CONFLICT DO NOTHING RETURNING (no lock/select)", async b =>
            {
                await using var c = ds.CreateCommand("INSERT INTO interactions (trace_id, ts, json) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT (trace_id) DO NOTHING RETURNING trace_id");
                c.Parameters.Add(new Npgsql.NpgsqlParameter { Value = b.Select(r => r.TraceId).ToArray() });
                c.Parameters.Add(new Npgsql.NpgsqlParameter { Value = b.Select(r => r.Timestamp.ToUnixTimeMilliseconds() * 1000).ToArray() });
                c.Parameters.Add(new Npgsql.NpgsqlParameter { Value = b.Select(r => JsonSerializer.Serialize(r, VigilJsonContext.Default.InteractionRecord)).ToArray() });
                await using var rd = await c.ExecuteReaderAsync(); while (await rd.ReadAsync()) { }
            });
            await Measure("plain INSERT ... SELECT unnest (no ON CONFLICT)", async b =>
            {
                await using var c = ds.CreateCommand("INSERT INTO interactions (trace_id, ts, json) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])");
                c.Parameters.Add(new Npgsql.NpgsqlParameter { Value = b.Select(r => r.TraceId).ToArray() });
                c.Parameters.Add(new Npgsql.NpgsqlParameter { Value = b.Select(r => r.Timestamp.ToUnixTimeMilliseconds() * 1000).ToArray() });
                c.Parameters.Add(new Npgsql.NpgsqlParameter { Value = b.Select(r => JsonSerializer.Serialize(r, VigilJsonContext.Default.InteractionRecord)).ToArray() });
                await c.ExecuteNonQueryAsync();
            });
            await Measure("binary COPY (no conflict handling; a lower bound)", async b =>
            {
                await using var conn2 = await ds.OpenConnectionAsync();
                await using var w = await conn2.BeginBinaryImportAsync("COPY interactions (trace_id, ts, json) FROM STDIN (FORMAT BINARY)");
                foreach (var r in b) { await w.StartRowAsync(); await w.WriteAsync(r.TraceId); await w.WriteAsync(r.Timestamp.ToUnixTimeMilliseconds() * 1000); await w.WriteAsync(JsonSerializer.Serialize(r, VigilJsonContext.Default.InteractionRecord)); }
                await w.CompleteAsync();
            });
        }
        await store.DisposeAsync();
    }

    static double ThreadCpuAll() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}

static class SqlitePage
{
    public static async Task Run(int groups, int groupSize)
    {
        var total = groups * groupSize;
        var gen = new InteractionGenerator(13, true);
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var buf = new ArrayBufferWriter<byte>();
        var all = new List<InteractionRecord>(total);
        Span<byte> id = stackalloc byte[InteractionGenerator.TraceIdLength];
        var now = DateTime.UtcNow;
        for (var i = 0; i < total; i++)
        {
            buf.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buf)) { InteractionGenerator.FormatTraceId(id, 0x5eed, (ulong)i, random: false); gen.Write(w, id, now.AddTicks(i * 200L - Random.Shared.Next(50_000_000))); }
            all.Add(normalizer.Normalize(RecordParser.ParseInteraction(buf.WrittenSpan).Record!));
        }
        var batches = all.Chunk(groupSize).Select(c => (IReadOnlyList<InteractionRecord>)c).ToList();
        Console.WriteLine($"SqliteVigilStore.UpsertInteractionsAsync, {total:N0} records in {groups} commits of {groupSize}; writer thread CPU and wall per record");
        for (var rep = 0; rep < 3; rep++)
        {
            foreach (var page in new[] { 4096, 16384 })
            {
                var dir = Path.Combine(Path.GetTempPath(), "vigil-exp-page-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(dir);
                using (var c = new SqliteConnection($"Data Source={dir}/vigil.db;Pooling=False"))
                {
                    c.Open();
                    using var x = c.CreateCommand(); x.CommandText = $"PRAGMA page_size = {page}; PRAGMA journal_mode = WAL;"; x.ExecuteNonQuery();
                }
                var store = new SqliteVigilStore(dir);
                await store.InitializeAsync();
                var cpu0 = ThreadCpu.Ns(); var sw = Stopwatch.StartNew();
                foreach (var b in batches) await store.UpsertInteractionsAsync(b);
                sw.Stop();
                var cpu = (ThreadCpu.Ns() - cpu0) / 1000.0 / total;
                await store.DisposeAsync();
                SqliteConnection.ClearAllPools();
                var size = new DirectoryInfo(dir).GetFiles().Sum(f => f.Length);
                Directory.Delete(dir, true);
                Console.WriteLine($"  rep {rep + 1} page_size {page,5}: wall {sw.Elapsed.TotalMicroseconds / total,6:N2} µs/rec, thread CPU {cpu,6:N2} µs/rec, files {size / 1048576.0:N0} MiB");
            }
        }
    }
}

static class Commits
{
    public static async Task Run(int groups, int groupSize)
    {
        var total = groups * groupSize;
        var gen = new InteractionGenerator(17, true);
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var buf = new ArrayBufferWriter<byte>();
        var all = new List<InteractionRecord>(total);
        Span<byte> id = stackalloc byte[InteractionGenerator.TraceIdLength];
        var now = DateTime.UtcNow;
        for (var i = 0; i < total; i++)
        {
            buf.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buf)) { InteractionGenerator.FormatTraceId(id, 0x5eed, (ulong)i, random: false); gen.Write(w, id, now.AddTicks(i * 200L - Random.Shared.Next(50_000_000))); }
            all.Add(normalizer.Normalize(RecordParser.ParseInteraction(buf.WrittenSpan).Record!));
        }
        var batches = all.Chunk(groupSize).Select(c => (IReadOnlyList<InteractionRecord>)c).ToList();
        var dir = Path.Combine(Path.GetTempPath(), "vigil-exp-commits");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        var store = new SqliteVigilStore(dir);
        await store.InitializeAsync();
        var times = new List<(double At, double Ms, long Wal)>();
        var t0 = Stopwatch.StartNew();
        foreach (var b in batches)
        {
            var at = t0.Elapsed.TotalMilliseconds;
            var sw = Stopwatch.StartNew();
            await store.UpsertInteractionsAsync(b);
            times.Add((at, sw.Elapsed.TotalMilliseconds, new FileInfo(Path.Combine(dir, "vigil.db-wal")).Length));
        }
        await store.DisposeAsync();
        var sorted = times.Select(t => t.Ms).Order().ToArray();
        double P(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        Console.WriteLine($"{groups} commits of {groupSize}: commit ms p50 {P(0.5):N1} p90 {P(0.9):N1} p99 {P(0.99):N1} max {sorted[^1]:N1}; db {new FileInfo(Path.Combine(dir, "vigil.db")).Length / 1048576} MiB");
        var median = P(0.5);
        foreach (var t in times.Where(t => t.Ms > 3 * median)) Console.WriteLine($"  slow commit at {t.At / 1000:N2} s: {t.Ms:N1} ms (wal file {t.Wal / 1048576} MiB)");
        Directory.Delete(dir, true);
    }
}

static class Ckpt
{
    public static async Task Run(int groups, int groupSize)
    {
        var total = groups * groupSize;
        var gen = new InteractionGenerator(19, true);
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var buf = new ArrayBufferWriter<byte>();
        var rows = new List<(string Id, long Ts, byte[] Json)>(total);
        Span<byte> id = stackalloc byte[InteractionGenerator.TraceIdLength];
        var now = DateTime.UtcNow;
        for (var i = 0; i < total; i++)
        {
            buf.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buf)) { InteractionGenerator.FormatTraceId(id, 0x5eed, (ulong)i, random: Environment.GetEnvironmentVariable("TRACE_IDS") == "random"); gen.Write(w, id, now.AddTicks(i * 200L - Random.Shared.Next(50_000_000))); }
            var r = normalizer.Normalize(RecordParser.ParseInteraction(buf.WrittenSpan).Record!);
            rows.Add((r.TraceId, r.Timestamp.ToUnixTimeMilliseconds() * 1000, JsonSerializer.SerializeToUtf8Bytes(r, VigilJsonContext.Default.InteractionRecord)));
        }
        var groupsList = rows.Chunk(groupSize).ToList();
        Console.WriteLine($"raw replica of the store's writer: {total:N0} records in {groups} commits of {groupSize}, {(Environment.GetEnvironmentVariable("TRACE_IDS") == "random" ? "random" : "sequential")} trace ids");
        for (var rep = 0; rep < 2; rep++)
        foreach (var (name, page, background) in new[] { ("as store (4 KiB pages, autocheckpoint 16384 pages)", 4096, false), ("background PASSIVE + TRUNCATE when WAL > 128 MiB", 4096, true), ("16 KiB pages, autocheckpoint 4096 pages", 16384, false), ("16 KiB pages + background PASSIVE/TRUNCATE", 16384, true) })
        {
            var dir = Path.Combine(Path.GetTempPath(), "vigil-exp-ckpt");
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "vigil.db");
            using var c = new SqliteConnection($"Data Source={path};Pooling=False");
            c.Open();
            void X(SqliteConnection conn, string sql) { using var x = conn.CreateCommand(); x.CommandText = sql; x.ExecuteNonQuery(); }
            X(c, $"PRAGMA page_size = {page}"); X(c, "PRAGMA journal_mode = WAL"); X(c, "PRAGMA synchronous = NORMAL"); X(c, "PRAGMA cache_size = -131072");
            X(c, background ? "PRAGMA wal_autocheckpoint = 0" : $"PRAGMA wal_autocheckpoint = {64 * 1024 * 1024 / page}");
            X(c, "CREATE TABLE interactions (trace_id TEXT PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL); CREATE INDEX interactions_ts ON interactions (ts);");
            using var sel = c.CreateCommand(); sel.CommandText = "SELECT trace_id, json FROM interactions WHERE trace_id IN (SELECT value FROM json_each(CAST($ids AS TEXT)))";
            var pids = sel.Parameters.Add("$ids", SqliteType.Blob);
            using var ins = c.CreateCommand(); ins.CommandText = "INSERT INTO interactions (trace_id, ts, json) VALUES ($id, $ts, CAST($json AS TEXT)) ON CONFLICT (trace_id) DO UPDATE SET ts = excluded.ts, json = excluded.json";
            var pid = ins.Parameters.Add("$id", SqliteType.Text); var pts = ins.Parameters.Add("$ts", SqliteType.Integer); var pjs = ins.Parameters.Add("$json", SqliteType.Blob);
            using var stop = new CancellationTokenSource();
            long checkpoints = 0;
            var checkpointer = background ? Task.Run(async () =>
            {
                using var bc = new SqliteConnection($"Data Source={path};Pooling=False");
                bc.Open();
                X(bc, "PRAGMA busy_timeout = 5000");
                while (!stop.IsCancellationRequested)
                {
                    try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { break; }
                    var wal = new FileInfo(path + "-wal").Length;
                    if (wal >= 128L * 1024 * 1024) { X(bc, "PRAGMA wal_checkpoint(TRUNCATE)"); checkpoints += 1000; }
                    else if (wal >= 16L * 1024 * 1024) { X(bc, "PRAGMA wal_checkpoint(PASSIVE)"); checkpoints++; }
                }
            }) : Task.CompletedTask;
            var times = new List<double>();
            var cpu0 = ThreadCpu.Ns(); var all = Stopwatch.StartNew();
            foreach (var g in groupsList)
            {
                var sw = Stopwatch.StartNew();
                using var tx = c.BeginTransaction();
                sel.Transaction = tx; ins.Transaction = tx;
                pids.Value = JsonSerializer.SerializeToUtf8Bytes(g.Select(x => x.Id).ToArray());
                using (var rd = sel.ExecuteReader()) { while (rd.Read()) { } }
                foreach (var (i2, ts, js) in g) { pid.Value = i2; pts.Value = ts; pjs.Value = js; ins.ExecuteNonQuery(); }
                tx.Commit();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            var wall = all.Elapsed.TotalSeconds; var cpu = (ThreadCpu.Ns() - cpu0) / 1e9;
            stop.Cancel(); await checkpointer;
            var sorted = times.Order().ToArray();
            double P(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
            var walMb = new FileInfo(path + "-wal").Length / 1048576;
            c.Close(); SqliteConnection.ClearAllPools();
            Console.WriteLine($"  {name,-52} {total / wall,8:N0} rec/s, writer CPU {cpu * 1e6 / total,5:N1} µs/rec; commit ms p50 {P(0.5),5:N1} p99 {P(0.99),6:N1} max {sorted[^1],6:N1}{(background ? $"; {checkpoints % 1000} passive + {checkpoints / 1000} truncate checkpoints, WAL {walMb} MiB at end" : "")}");
            Directory.Delete(dir, true);
        }
    }
}
