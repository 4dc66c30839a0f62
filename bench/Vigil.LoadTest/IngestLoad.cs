using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vigil.LoadTest;

/// <summary>
/// <c>ingest</c>: posts batches of generated interactions to a running collector from C connections (one request
/// in flight per connection), then prints records/s, exact request-latency percentiles and errors.
/// </summary>
/// <remarks>
/// Closed loop by default: each connection sends its next request as soon as the last one is answered, so the
/// run finds the throughput the server sustains at that concurrency. With <see cref="Settings.Rate"/> (requests/s
/// over all connections) it is open loop after a closed-loop warm-up, like wrk2: each connection has a schedule of intended send times, and a
/// request's latency counts from its intended time, so a server that falls behind shows its queueing delay instead
/// of silently slowing the client down (coordinated omission). The latency from the actual send is reported too.
/// </remarks>
/// <remarks>
/// Bodies come from a pool of pre-generated batch templates; before each request the worker copies one and patches
/// every record's trace_id (unique for the run) and timestamp (now minus the record's age) in place, so the
/// generator costs the client almost no CPU on a machine it shares with the server. Only requests that start after
/// the warm-up count. Latency is from before <c>SendAsync</c> to the end of the response body.
/// </remarks>
public static class IngestLoad
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    public sealed record Settings(
        Uri Url,
        int Batch,
        int Concurrency,
        TimeSpan Duration,
        long Requests,
        TimeSpan Warmup,
        int Templates,
        bool WithContent,
        int Seed,
        int? ServerPid,
        string? ApiKey,
        string? Label,
        string? JsonOut,
        TimeSpan Timeout,
        string? TimelineOut = null,
        double Rate = 0,
        bool RandomTraceIds = true);

    public static async Task<int> RunAsync(Settings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var templates = BuildTemplates(s);
        var avgBody = templates.Average(t => t.Body.Length);
        Console.Error.WriteLine(
            $"ingest: {s.Url} batch {s.Batch}, concurrency {s.Concurrency}, " +
            (s.Requests > 0 ? $"{s.Requests} requests" : $"{s.Duration.TotalSeconds:N0} s") +
            (s.Rate > 0 ? $" at {s.Rate:N1} requests/s ({s.Rate * s.Batch:N0} records/s) open loop" : " closed loop") +
            $" after {s.Warmup.TotalSeconds:N0} s warm-up; {templates.Length} templates, body {avgBody / 1024:N0} KiB ({avgBody / s.Batch:N0} B/record), " +
            (s.RandomTraceIds ? "random" : "sequential") + " trace ids");

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = s.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { Timeout = s.Timeout };
        if (s.ApiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", s.ApiKey);
        }

        var run = new RunState(s, templates);
        var workers = Enumerable.Range(0, s.Concurrency).Select(i => Task.Run(() => WorkerAsync(run, client, i))).ToArray();

        // Snapshot CPU and load at the end of the warm-up.
        var measureAt = run.MeasureStart;
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureAt);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }

        var cpuStartClient = Process.GetCurrentProcess().TotalProcessorTime;
        var cpuStartServer = ServerCpu(s.ServerPid);
        var loadStart = LoadAverage();
        var wallStart = Stopwatch.GetTimestamp();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var wallEnd = Stopwatch.GetTimestamp();
        var cpuClient = Process.GetCurrentProcess().TotalProcessorTime - cpuStartClient;
        var cpuServer = ServerCpu(s.ServerPid) - cpuStartServer;
        var loadEnd = LoadAverage();

        var results = run.Results.Where(r => r is not null).ToArray();
        var latencies = results.SelectMany(r => r!.Latencies).ToArray();
        Array.Sort(latencies);
        var sendLatencies = results.SelectMany(r => r!.Sends).Select(x => x.End - x.Start).ToArray();
        Array.Sort(sendLatencies);
        var lastEnd = results.Select(r => r!.LastEnd).DefaultIfEmpty(run.MeasureStart).Max();
        var window = Stopwatch.GetElapsedTime(run.MeasureStart, Math.Max(lastEnd, run.MeasureStart + 1)).TotalSeconds;
        var accepted = results.Sum(r => r!.Accepted);
        var statuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (run.Abandoned > 0)
        {
            statuses["not-sent (server a full duration behind)"] = run.Abandoned;
        }

        foreach (var r in results)
        {
            foreach (var (key, n) in r!.Statuses)
            {
                statuses[key] = statuses.GetValueOrDefault(key) + n;
            }
        }

        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(long[] sorted, double q) => sorted.Length == 0 ? double.NaN : Ms(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)]);
        double P(double q) => Percentile(latencies, q);
        var wall = Stopwatch.GetElapsedTime(wallStart, wallEnd).TotalSeconds;
        var summary = new Summary
        {
            Label = s.Label,
            Url = s.Url.ToString(),
            Batch = s.Batch,
            Concurrency = s.Concurrency,
            TargetRecordsPerSecond = s.Rate > 0 ? Math.Round(s.Rate * s.Batch, 0) : null,
            SendP50Ms = Math.Round(Percentile(sendLatencies, 0.50), 2),
            SendP99Ms = Math.Round(Percentile(sendLatencies, 0.99), 2),
            WithContent = s.WithContent,
            RandomTraceIds = s.RandomTraceIds,
            BodyBytes = (int)avgBody,
            Requests = latencies.Length,
            RecordsAccepted = accepted,
            Seconds = Math.Round(window, 3),
            RecordsPerSecond = Math.Round(accepted / window, 0),
            RequestsPerSecond = Math.Round(latencies.Length / window, 1),
            P50Ms = Math.Round(P(0.50), 2),
            P90Ms = Math.Round(P(0.90), 2),
            P95Ms = Math.Round(P(0.95), 2),
            P99Ms = Math.Round(P(0.99), 2),
            MaxMs = latencies.Length == 0 ? double.NaN : Math.Round(Ms(latencies[^1]), 2),
            MeanMs = latencies.Length == 0 ? double.NaN : Math.Round(latencies.Average(Ms), 2),
            Statuses = statuses,
            ClientCpuCores = Math.Round(cpuClient.TotalSeconds / wall, 2),
            ServerCpuCores = s.ServerPid is null ? null : Math.Round(cpuServer.TotalSeconds / wall, 2),
            LoadAverageStart = loadStart,
            LoadAverageEnd = loadEnd,
        };

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"label            {s.Label}");
        text.AppendLine(CultureInfo.InvariantCulture, $"requests         {summary.Requests:N0} in {window:N2} s ({summary.RequestsPerSecond:N1}/s), batch {s.Batch}, concurrency {s.Concurrency}");
        text.AppendLine(CultureInfo.InvariantCulture, $"records/s        {summary.RecordsPerSecond:N0} accepted ({accepted:N0} records)");
        text.AppendLine(CultureInfo.InvariantCulture, $"latency ms       p50 {summary.P50Ms:N1}  p90 {summary.P90Ms:N1}  p95 {summary.P95Ms:N1}  p99 {summary.P99Ms:N1}  max {summary.MaxMs:N1}  mean {summary.MeanMs:N1}");
        if (s.Rate > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"open loop        target {s.Rate * s.Batch:N0} records/s; latency above counts from the intended send time; from the actual send: p50 {summary.SendP50Ms:N1}  p99 {summary.SendP99Ms:N1}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"statuses         {string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value:N0}"))}");
        var serverCpu = summary.ServerCpuCores is { } sc ? string.Create(CultureInfo.InvariantCulture, $", server {sc:N2}") : string.Empty;
        text.AppendLine(CultureInfo.InvariantCulture, $"cpu (cores)      client {summary.ClientCpuCores:N2}{serverCpu} of {Environment.ProcessorCount}");
        text.AppendLine(CultureInfo.InvariantCulture, $"load average     start {loadStart}, end {loadEnd}");
        Console.Out.Write(text.ToString());
        if (s.JsonOut is not null)
        {
            await File.AppendAllTextAsync(s.JsonOut, JsonSerializer.Serialize(summary, LoadTestJsonContext.Default.Summary) + "\n").ConfigureAwait(false);
        }

        if (s.TimelineOut is not null)
        {
            // One line per measured request, by send time: when it was sent and how long it took (ms), to see
            // whether slow requests come together (a stall) or spread out (queueing).
            var measureStartUtc = DateTime.UtcNow - Stopwatch.GetElapsedTime(run.MeasureStart);
            var lines = results.SelectMany(r => r!.Sends).OrderBy(x => x.Start).Select(x => string.Create(CultureInfo.InvariantCulture,
                $"{Stopwatch.GetElapsedTime(run.MeasureStart, x.Start).TotalMilliseconds:F1} {Stopwatch.GetElapsedTime(x.Start, x.End).TotalMilliseconds:F1} {measureStartUtc + Stopwatch.GetElapsedTime(run.MeasureStart, x.Start):HH:mm:ss.fff}"));
            await File.WriteAllLinesAsync(s.TimelineOut, ["send_ms latency_ms send_utc", .. lines]).ConfigureAwait(false);
        }

        return accepted > 0 && statuses.Keys.All(k => k == "202") ? 0 : 1;
    }

    private static async Task WorkerAsync(RunState run, HttpClient client, int id)
    {
        var s = run.Settings;
        var random = new Random(HashCode.Combine(s.Seed, id));
        var buffer = new byte[run.Templates.Max(t => t.Body.Length)];
        var result = new WorkerResult();
        run.Results[id] = result;

        // Open loop: this connection's share of the rate, its intended send times staggered against the others'.
        // The schedule starts with the warm-up, at the same rate, so measuring starts in that rate's steady state
        // (a closed-loop warm-up ran faster and left a backlog that the first measured second paid for).
        var period = s.Rate > 0 ? (long)(Stopwatch.Frequency * s.Concurrency / s.Rate) : 0;
        var intended = run.Started + (period * id / s.Concurrency);
        while (true)
        {
            if (period > 0 && intended < run.MeasureStart && Stopwatch.GetTimestamp() - intended > period)
            {
                // Warm-up only: a schedule that a cold server could not keep is not kept (whole periods are skipped,
                // so the connections stay staggered), so measuring starts on time.
                intended += (Stopwatch.GetTimestamp() - intended) / period * period;
            }

            var measured = period > 0 ? intended >= run.MeasureStart : Stopwatch.GetTimestamp() >= run.MeasureStart;
            if (period > 0)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intended);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }
            }

            // Requests sent after the warm-up are measured. The run ends at the deadline (open loop: when the
            // schedule reaches it) or after the count.
            var now = Stopwatch.GetTimestamp();
            var scheduled = period > 0;
            if (s.Requests > 0 ? measured && Interlocked.Increment(ref run.Issued) > s.Requests : (scheduled ? intended : now) >= run.Deadline)
            {
                break;
            }

            if (scheduled && s.Requests == 0 && now >= run.HardStop)
            {
                // A server this far behind the schedule will not catch up: stop instead of running on for ever.
                Interlocked.Add(ref run.Abandoned, (run.Deadline - intended + period - 1) / period);
                break;
            }

            var template = run.Templates[random.Next(run.Templates.Length)];
            template.Body.CopyTo(buffer, 0);
            var first = (ulong)Interlocked.Add(ref run.Sequence, template.TraceIdOffsets.Length) - (ulong)template.TraceIdOffsets.Length;
            var utcNow = DateTime.UtcNow;
            for (var i = 0; i < template.TraceIdOffsets.Length; i++)
            {
                InteractionGenerator.FormatTraceId(buffer.AsSpan(template.TraceIdOffsets[i]), run.RunId, first + (ulong)i, s.RandomTraceIds);
                InteractionGenerator.FormatTimestamp(buffer.AsSpan(template.TimestampOffsets[i]), utcNow - template.Ages[i]);
            }

            string status;
            long accepted = 0;
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var content = new ByteArrayContent(buffer, 0, template.Body.Length);
                content.Headers.ContentType = s_json;
                using var response = await client.PostAsync(run.Url, content).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted = ParseAccepted(body);
                    if (accepted != template.TraceIdOffsets.Length)
                    {
                        status = "202-partial";
                    }
                }
                else if (result.FirstError is null)
                {
                    result.FirstError = $"{status}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 400)))}";
                }
            }
            catch (TaskCanceledException)
            {
                status = "timeout";
            }
            catch (HttpRequestException ex)
            {
                status = "error:" + ex.HttpRequestError;
                result.FirstError ??= ex.Message;
            }

            var end = Stopwatch.GetTimestamp();
            if (measured)
            {
                result.Latencies.Add(end - (scheduled ? Math.Min(intended, start) : start));
                result.Sends.Add((start, end));
                result.Accepted += accepted;
                result.Statuses[status] = result.Statuses.GetValueOrDefault(status) + 1;
                result.LastEnd = Math.Max(result.LastEnd, end);
            }

            if (scheduled)
            {
                intended += period;
            }
        }

        if (result.FirstError is not null)
        {
            Console.Error.WriteLine($"ingest: worker {id}, first error: {result.FirstError}");
        }
    }

    private static long ParseAccepted(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("accepted"u8) && reader.Read() && reader.TryGetInt64(out var n))
            {
                return n;
            }
        }

        return -1;
    }

    private static Template[] BuildTemplates(Settings s)
    {
        var templates = new Template[s.Templates];
        var placeholder = new byte[InteractionGenerator.TraceIdLength];
        placeholder.AsSpan().Fill((byte)'0');
        var ageRandom = new Random(s.Seed);
        for (var t = 0; t < templates.Length; t++)
        {
            var generator = new InteractionGenerator(HashCode.Combine(s.Seed, t, 17), s.WithContent);
            var buffer = new ArrayBufferWriter<byte>(s.Batch * 700);
            var ages = new TimeSpan[s.Batch];
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("interactions"u8);
                for (var i = 0; i < s.Batch; i++)
                {
                    // A record arrives a little after its call started: its latency plus buffering in the app's sink.
                    ages[i] = TimeSpan.FromMilliseconds(ageRandom.NextDouble() * 5_000);
                    generator.Write(writer, placeholder, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            var body = buffer.WrittenSpan.ToArray();
            var ids = Offsets(body, "\"trace_id\":\""u8);
            var stamps = Offsets(body, "\"timestamp\":\""u8);
            if (ids.Length != s.Batch || stamps.Length != s.Batch)
            {
                throw new InvalidOperationException($"template {t}: found {ids.Length} trace ids and {stamps.Length} timestamps for {s.Batch} records");
            }

            templates[t] = new Template(body, ids, stamps, ages);
        }

        return templates;
    }

    private static int[] Offsets(byte[] body, ReadOnlySpan<byte> marker)
    {
        var offsets = new List<int>();
        var at = 0;
        while (true)
        {
            var found = body.AsSpan(at).IndexOf(marker);
            if (found < 0)
            {
                return [.. offsets];
            }

            offsets.Add(at + found + marker.Length);
            at += found + marker.Length;
        }
    }

    private static TimeSpan ServerCpu(int? pid)
    {
        if (pid is not { } p)
        {
            return TimeSpan.Zero;
        }

        try
        {
            // /proc/<pid>/stat: fields after the command name; utime and stime are the 14th and 15th, in clock ticks (100/s).
            var stat = File.ReadAllText($"/proc/{p}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private sealed record Template(byte[] Body, int[] TraceIdOffsets, int[] TimestampOffsets, TimeSpan[] Ages);

    private sealed class WorkerResult
    {
        public List<long> Latencies { get; } = new(4096);

        public List<(long Start, long End)> Sends { get; } = new(4096);

        public long Accepted { get; set; }

        public Dictionary<string, long> Statuses { get; } = new(StringComparer.Ordinal);

        public long LastEnd { get; set; }

        public string? FirstError { get; set; }
    }

    private sealed class RunState
    {
        public long Sequence;
        public long Issued;
        public long Abandoned;

        public RunState(Settings settings, Template[] templates)
        {
            Settings = settings;
            Templates = templates;
            Url = settings.Url;
            RunId = (uint)Environment.TickCount ^ (uint)Environment.ProcessId << 16;
            var now = Stopwatch.GetTimestamp();
            Started = now;
            MeasureStart = now + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
            Deadline = MeasureStart + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
            HardStop = Deadline + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
            Results = new WorkerResult?[settings.Concurrency];
        }

        public Settings Settings { get; }

        public Template[] Templates { get; }

        public Uri Url { get; }

        public uint RunId { get; }

        public long Started { get; }

        public long MeasureStart { get; }

        public long Deadline { get; }

        public long HardStop { get; }

        public WorkerResult?[] Results { get; }
    }
}
