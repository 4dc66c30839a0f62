using System.Globalization;
using System.Text;

namespace Vigil.Tests.Records;

/// <summary>
/// Generates interaction lines, valid and broken, from a fixed seed: every field from a list of values (plain, edge and
/// wrong ones), fields in random order, some repeated, unknown or escaped names, odd whitespace, and byte mutations.
/// </summary>
internal sealed class InteractionLineFuzz(int seed, bool newlines = true, bool carriageReturns = false)
{
    private static readonly string[] TraceIds = ["\"t-1\"", "\"\"", $"\"{new string('t', 129)}\"", $"\"{new string('t', 128)}\"", "\"t\\u0031\"", "5", "null", "\"é-id\"", "\"t\\\"q\""];

    private static readonly (string Name, bool Required, string[] Values, int Plain)[] Fields =
    [
        ("timestamp", true, [
            "\"2026-11-01T10:00:00Z\"", "\"2026-11-01T10:00:00.123Z\"", "\"2026-10-31T23:59:59.1234567Z\"", "\"2026-11-01T10:00:00+02:00\"",
            "\"2026-11-01T00:30:00-05:30\"", "\"2024-02-29T00:00:00Z\"",
            "\"2026-11-01T10:00:00.12345678Z\"", "\"2026-11-01T10:00:00+14:00\"", "\"2026-11-01T10:00:00+13:59\"", "\"2026-11-01T10:00:00+15:00\"",
            "\"2026-11-01\"", "\"2026-02-30T10:00:00Z\"", "\"2023-02-29T00:00:00Z\"", "\"2026-11-01t10:00:00z\"", "\"2026-11-01T24:00:00Z\"",
            "\"2026-11-01T10:00:60Z\"", "\"2026-11-01T10:00:00\"", "\"0001-01-01T00:00:00+01:00\"", "\"9999-12-31T23:59:59-01:00\"",
            "\"2026-11-01T10:00Z\"", "\"2026-11-01 10:00:00Z\"", "1", "null", "\"2026-11-01T10:00:00.Z\"", "\"2026-11-01T10:00:00,5Z\"",
            "\"2026-11-01T10:00:00+0200\"", "\"2026-11-01T10:00:00-00:00\"", "\"2026-13-01T10:00:00Z\"", "\"2026-11-01T10:00:00\\u005a\"",
        ], 6),
        ("model", true, [
            "\"gpt-4o\"", "\"claude-haiku-3.5\"", "\"gpt-4.1-mini-2025-04-14\"", "\"unknown-model\"",
            "\"\"", $"\"{new string('m', 129)}\"", "\"m\\u00e9\"", "\"modèle\"", "3", "null",
        ], 4),
        ("provider", false, ["\"openai\"", "\"anthropic\"", $"\"{new string('p', 65)}\"", "null", "1", "\"\""], 2),
        ("feature", false, ["\"chat\"", "\"search\"", "\"\"", $"\"{new string('f', 65)}\"", "null", "7", "\"f\\u0065at\""], 3),
        ("user_id", false, ["\"u-1\"", "\"u-2\"", "\"\"", $"\"{new string('u', 129)}\"", "null", "5"], 3),
        ("user_tier", false, ["\"free\"", "\"pro\"", $"\"{new string('x', 33)}\"", "null", "1", "\"enterprise\""], 2),
        ("status", true, ["\"success\"", "\"error\"", "\"Success\"", "\"ok\"", "null", "1"], 2),
        ("error_type", false, [
            "\"rate_limit\"", "\"timeout\"", "\"low_quality\"", "\"tool_failure\"", "\"server_error\"", "\"bogus\"", "null", "1", "\"Timeout\"",
        ], 5),
        ("http_status", false, ["200", "429", "500", "400", "503", "99", "600", "200.0", "2e2", "-1", "\"200\"", "null", "99999999999", "0200", "-0"], 5),
        ("degradation", false, ["\"none\"", "\"model_fallback\"", "\"cache_fallback\"", "\"default_response\"", "\"bogus\"", "null", "0"], 4),
        ("latency_ms", true, [
            "120", "120.5", "2014.6", "0", "0.0001", "3600000", "1e3", "1E-2", "0.1234567890123456789", "123456789012345678",
            "3600000.0001", "3600001", "-1", "-0", "1e400", "\"5\"", "null", "00.5", ".5", "5.", "1e", "0.30000000000000004",
        ], 5),
        ("ttft_ms", false, ["499.2", "0", "12", "2.5e2", "-3", "3600001", "null", "\"1\"", "1.7976931348623157e308"], 3),
        ("input_tokens", false, ["1417", "0", "614", "-5", "1.0", "1e3", "9223372036854775807", "9223372036854775808", "null", "\"5\"", "123456789012345678"], 3),
        ("output_tokens", false, ["121", "0", "155", "-1", "2.5", "null"], 3),
        ("cached_tokens", false, ["0", "512", "-1", "null", "1e2"], 2),
        ("cost_usd", false, [
            "0.001", "0.00120", "1.50", "0", "0.0", "1e-3", "2E+1", "-0.01", "79228162514264337593543950336", "0.0000000000000000000000000001",
            "1.23456789012345678901234567890", "null", "\"1\"", "-0",
        ], 7),
        ("cache", false, ["\"hit\"", "\"miss\"", "\"HIT\"", "null", "true"], 2),
        ("cache_type", false, ["\"exact\"", "\"semantic\"", "\"prompt\"", "\"x\"", "null"], 3),
        ("query", false, [
            "\"hi\"", "\"Find the clause about early termination.\"", "\"caf\\u00e9 \\u003E\"", "\"with \\\"quote\\\" and \\\\ \\/ \\b\\f\\n\\r\\t\"", "\"日本語\"",
            "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\u00\"", "\"\\x\"", $"\"{new string('q', 70_000)}\"", $"\"{new string('q', 65_536)}\"",
            $"\"{new string('é', 40_000)}\"", "5", "null", "\"tab\there\"",
        ], 5),
        ("response", false, ["\"hello\"", "\"SELECT \\u0027x\\u0027 \\u003E 1;\"", "\"ok\"", "[]", "null", "\"\\u0000\""], 3),
        ("context", false, ["\"ctx\"", "\"\"", "{}", "null"], 2),
        ("embedding", false, [
            "[0.1,0.2,-0.3]", "[ 1 , 2e-3 ]", "[]", "[1e40]", "[1,\"x\"]", "null", "{}", "[1,]", $"[{string.Join(',', Enumerable.Repeat("0.5", 4097))}]",
        ], 2),
        ("attributes", false, [
            "{\"region\":\"us-east-1\",\"app_version\":\"3.14.2\"}", "{}", "{\"a\":\"1\"}", "{\"a\":\"1\",\"a\":\"2\"}", "{\"a\":1}", "{\"k\\u00e9\":\"v\"}",
            "{\"é\":\"v\"}", "[]", "null", "{\"a\":null}", $"{{\"long\":\"{new string('v', 1100)}\"}}", $"{{\"long\":\"{new string('v', 1024)}\"}}",
            $"{{{string.Join(',', Enumerable.Range(0, 33).Select(i => $"\"k{i}\":\"v\""))}}}",
            $"{{{string.Join(',', Enumerable.Range(0, 32).Select(i => $"\"k{i}\":\"v\""))}}}",
        ], 3),
    ];

    // The last two hold line feeds, which end a line of JSON Lines: only with newlines.
    private static readonly string[] Spaces = ["", "", "", " ", "\t", "  ", "\r\n", "\n"];
    private static readonly byte[] Inserts = [.. "\"{}[],:\\ 0a-.eE"u8, 0xFF, 0xC3];
    private readonly Random _random = new(seed);

    /// <summary>The next line as UTF-8. <paramref name="plainShare"/> is the share of values taken from each field's plain ones.</summary>
    public byte[] Next(double plainShare = 0.8, double mutateShare = 0.15, string? traceId = null, string? timestamp = null)
    {
        var parts = new List<(string Name, string Value)>
        {
            ("trace_id", traceId ?? (_random.NextDouble() < plainShare ? $"\"{_random.Next(1_000_000):x}\"" : Pick(TraceIds))),
        };
        foreach (var (name, required, values, plain) in Fields)
        {
            if (_random.NextDouble() < (required ? 0.98 : 0.45))
            {
                var value = name == "timestamp" && timestamp is not null ? timestamp
                    : _random.NextDouble() < plainShare ? values[_random.Next(plain)] : Pick(values);
                parts.Add((name, value));
            }
        }

        var roll = _random.NextDouble();
        if (roll < 0.02)
        {
            parts.Add(("extra", "1"));
        }
        else if (roll < 0.04)
        {
            parts.Add(parts[_random.Next(parts.Count)]); // a repeated field
        }
        else if (roll < 0.05)
        {
            parts.Add(("Trace_id", "\"x\""));
        }

        // Shuffle now and then; the generator's own order most of the time.
        if (_random.NextDouble() < 0.2)
        {
            var shuffled = parts.ToArray();
            _random.Shuffle(shuffled);
            parts = [.. shuffled];
        }

        var text = new StringBuilder();
        text.Append(Space()).Append('{');
        for (var i = 0; i < parts.Count; i++)
        {
            var name = parts[i].Name == "trace_id" && _random.NextDouble() < 0.01 ? "trace\\u005fid" : parts[i].Name;
            text.Append(i > 0 ? "," : string.Empty).Append(Space()).Append('"').Append(name).Append('"').Append(Space()).Append(':')
                .Append(Space()).Append(parts[i].Value).Append(Space());
        }

        text.Append('}').Append(Space());
        if (_random.NextDouble() < 0.005)
        {
            text.Append("{}");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return _random.NextDouble() < mutateShare ? Mutate(bytes) : bytes;
    }

    private byte[] Mutate(byte[] bytes)
    {
        var list = bytes.ToList();
        for (var edits = _random.Next(1, 3); edits > 0 && list.Count > 1; edits--)
        {
            var at = _random.Next(list.Count);
            switch (_random.Next(4))
            {
                case 0: list.RemoveAt(at); break;
                case 1: list.Insert(at, Inserts[_random.Next(Inserts.Length)]); break;
                case 2: list[at] = Inserts[_random.Next(Inserts.Length)]; break;
                default: list.RemoveRange(at, list.Count - at); break;
            }
        }

        return [.. list];
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private string Space() => carriageReturns && _random.Next(20) == 0 ? "\r" : Spaces[_random.Next(newlines ? Spaces.Length : Spaces.Length - 2)];

    /// <summary>A timestamp string around 2026-11-01 (a JSON string).</summary>
    public string Timestamp(int minutes) =>
        "\"" + new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "\"";
}
