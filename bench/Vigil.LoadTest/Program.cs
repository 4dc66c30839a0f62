using System.Globalization;
using Vigil.LoadTest;

const string Usage = """
    Vigil.LoadTest: load for the collector and input for vigil report.

      ingest   --url http://127.0.0.1:5080 [--batch 500] [--concurrency 4] [--duration 20 | --requests N]
               [--warmup 3] [--templates 64] [--content short|none] [--seed 1] [--server-pid PID]
               [--rate REQUESTS_PER_S] [--trace-ids random|sequential] [--api-key KEY] [--label TEXT] [--json-out FILE] [--timeline FILE] [--timeout 60]
          Posts batches of generated interactions to URL/v1/interactions over C keep-alive connections (one request in
          flight on each) for a duration (seconds) or a number of requests, after a warm-up (seconds) that is not
          measured. Closed loop (next request when the last is answered) unless --rate sets an open-loop request rate
          over all connections; then latency counts from each request's intended send time (no coordinated omission).
          Prints records/s, exact request-latency percentiles, statuses and CPU used (of the server too with
          --server-pid). Exit 1 when any request was not a full 202.

      generate --output FILE --count K [--seed 1] [--content short|none] [--trace-ids random|sequential]
               [--duplicate-rate 0] [--days 30]
               [--end 2026-01-31T00:00:00Z] [--workers N]
          Writes K interactions as JSON Lines, timestamps spread over the days before --end (default: this hour).
          --duplicate-rate repeats a recent trace_id on that share of lines.

      gateway  [--vigil ./vigil] [--rate 2000] [--duration 60] [--warmup 5] [--stream true|false] [--connections 64]
          Hosts an upstream that answers at once, starts `vigil serve --gateway` on it, and sends open-loop requests
          alternating direct and through the gateway; prints both latency distributions (whole answer, or first byte
          of a stream), their difference, the gateway's own time (vigil_gateway_overhead_seconds) and its memory.

      Trace ids are 32 hex digits: random by default (as W3C/OpenTelemetry trace ids are), or sequential (sorted in
      arrival order: the easy case for the store's primary-key index).
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Out.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"Vigil.LoadTest: expected '--name value', got '{args[i]}'.\n\n{Usage}");
        return 2;
    }

    options[args[i][2..]] = args[++i];
}

string Get(string name, string fallback) => options.Remove(name, out var value) ? value : fallback;
int GetInt(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
long GetLong(string name, long fallback) => long.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
double GetDouble(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
bool RandomIds() => Get("trace-ids", "random") switch
{
    "random" => true,
    "sequential" => false,
    var other => throw new FormatException($"--trace-ids takes random or sequential, not '{other}'."),
};
bool Content() => Get("content", "short") switch
{
    "short" => true,
    "none" => false,
    var other => throw new FormatException($"--content takes short or none, not '{other}'."),
};

try
{
    int code;
    switch (args[0])
    {
        case "ingest":
        {
            var url = Get("url", "http://127.0.0.1:5080").TrimEnd('/');
            if (!url.EndsWith("/v1/interactions", StringComparison.Ordinal))
            {
                url += "/v1/interactions";
            }

            var settings = new IngestLoad.Settings(
                new Uri(url),
                Batch: GetInt("batch", 500),
                Concurrency: GetInt("concurrency", 4),
                Duration: TimeSpan.FromSeconds(GetDouble("duration", 20)),
                Requests: GetLong("requests", 0),
                Warmup: TimeSpan.FromSeconds(GetDouble("warmup", 3)),
                Templates: GetInt("templates", 64),
                WithContent: Content(),
                Seed: GetInt("seed", 1),
                ServerPid: options.ContainsKey("server-pid") ? GetInt("server-pid", 0) : null,
                ApiKey: options.Remove("api-key", out var key) ? key : null,
                Label: options.Remove("label", out var label) ? label : null,
                JsonOut: options.Remove("json-out", out var jsonOut) ? jsonOut : null,
                Timeout: TimeSpan.FromSeconds(GetDouble("timeout", 60)),
                TimelineOut: options.Remove("timeline", out var timeline) ? timeline : null,
                Rate: GetDouble("rate", 0),
                RandomTraceIds: RandomIds());
            if (settings.Batch is < 1 or > 1000 || settings.Concurrency < 1 || settings.Templates < 1 || settings.Rate < 0)
            {
                throw new FormatException("--batch takes 1..1000; --concurrency and --templates at least 1.");
            }

            if (options.Count > 0)
            {
                throw new FormatException($"unknown option(s) for ingest: {string.Join(", ", options.Keys.Select(k => "--" + k))}");
            }

            code = await IngestLoad.RunAsync(settings);
            break;
        }

        case "gateway":
            return await GatewayLoad.RunAsync(new GatewayLoad.Settings(
                Get("vigil", "./vigil"), GetDouble("rate", 2000), TimeSpan.FromSeconds(GetDouble("duration", 60)),
                TimeSpan.FromSeconds(GetDouble("warmup", 5)), Get("stream", "false") == "true", GetInt("connections", 64)));
        case "generate":
        {
            var endText = Get("end", string.Empty);
            var end = endText.Length == 0
                ? new DateTime(DateTime.UtcNow.Ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, DateTimeKind.Utc)
                : DateTimeOffset.Parse(endText, CultureInfo.InvariantCulture).UtcDateTime;
            var settings = new FileGenerator.Settings(
                Output: Get("output", string.Empty) is { Length: > 0 } output ? output : throw new FormatException("--output is required."),
                Count: GetLong("count", 1_000_000),
                Seed: GetInt("seed", 1),
                WithContent: Content(),
                DuplicateRate: GetDouble("duplicate-rate", 0),
                EndUtc: end,
                Span: TimeSpan.FromDays(GetDouble("days", 30)),
                Workers: GetInt("workers", Environment.ProcessorCount),
                RandomTraceIds: RandomIds());
            if (settings.Count < 1 || settings.DuplicateRate is < 0 or > 1 || settings.Workers < 1)
            {
                throw new FormatException("--count and --workers take at least 1, --duplicate-rate 0..1.");
            }

            if (options.Count > 0)
            {
                throw new FormatException($"unknown option(s) for generate: {string.Join(", ", options.Keys.Select(k => "--" + k))}");
            }

            code = await FileGenerator.RunAsync(settings);
            break;
        }

        default:
            Console.Error.WriteLine($"Vigil.LoadTest: unknown mode '{args[0]}'.\n\n{Usage}");
            return 2;
    }

    return code;
}
catch (FormatException ex)
{
    Console.Error.WriteLine($"Vigil.LoadTest: {ex.Message}");
    return 2;
}
