using System.Globalization;
using System.Text;

namespace Vigil.Server.Tests.Ingest;

/// <summary>
/// A seeded corpus of malformed and hostile bodies for <c>POST /v1/interactions</c> and <c>POST /v1/feedback</c>:
/// wrong types, NaN/Infinity literals, huge numbers, deep nesting, invalid UTF-8 and lone surrogates, bodies over
/// the size limit, unknown and duplicate fields, empty bodies, bare arrays, nulls, truncations, wrong content
/// types, mutations of valid records, and random bytes. The same seed gives the same corpus.
/// </summary>
public static class HostileBodies
{
    private const string Interactions = "v1/interactions";
    private const string Feedback = "v1/feedback";

    private static readonly string[] InteractionFields =
    [
        "trace_id", "timestamp", "model", "provider", "feature", "user_id", "user_tier", "status", "error_type", "http_status",
        "degradation", "latency_ms", "ttft_ms", "input_tokens", "output_tokens", "cached_tokens", "cost_usd", "cache", "cache_type",
        "query", "response", "context", "embedding", "attributes",
    ];

    private static readonly string[] FeedbackFields = ["trace_id", "user_id", "feature", "type", "value", "comment", "timestamp"];

    private static readonly string[] BadValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "-0", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
        "18446744073709551616", "9223372036854775808", "-9223372036854775809", "79228162514264337593543950336",
        "NaN", "Infinity", "-Infinity", "+1", "01", "0x10", ".5", "1.", "1e", "\"\"", "\"x\"", "\"NaN\"", "\"1e400\"", "\"-1\"",
        "[]", "{}", "[1,2]", "{\"a\":1}", "[null]", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\uZZZZ\"", "\"\\x41\"",
        "\"2025-13-45T99:99:99Z\"", "\"0001-01-01T00:00:00+01:00\"", "\"9999-12-31T23:59:59-01:00\"", "\"9999-12-31T23:59:59.9999999Z\"",
        "\"2025-01-01\"", "\"2025-01-01T00:00:00.123456789012345Z\"", "\"success \"", "\"SUCCESS\"", "\"hit\"", "\"free\"",
        "3600001", "3600000.0000001", "99", "600", "4097", "\"" + new string('a', 129) + "\"", "\"" + new string('b', 70_000) + "\"",
        "1" + new string('0', 400), "0." + new string('0', 400) + "1", "-" + new string('9', 1000),
    ];

    // Values no field of either record can take: not JSON, not finite, or beyond every numeric type's range.
    private static readonly HashSet<string> NeverValid = new(StringComparer.Ordinal)
    {
        "NaN", "Infinity", "-Infinity", "+1", "01", "0x10", ".5", "1.", "1e", "1e400", "-1e400", "123456789012345678901234567890",
        "79228162514264337593543950336", "\"\\uZZZZ\"", "\"\\x41\"", "1" + new string('0', 400), "-" + new string('9', 1000),
    };

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/octet-stream", "application/problem+json", "*/*", "application/json; charset=latin1",
    ];

    /// <summary>At least <paramref name="minimum"/> bodies; <paramref name="maxBodyBytes"/> is the collector's limit.</summary>
    public static IReadOnlyList<HostileBody> Generate(int seed, int minimum, int maxBodyBytes)
    {
        var random = new Random(seed);
        var bodies = new List<HostileBody>();
        var now = DateTimeOffset.UtcNow;

        // Every field of either record with every bad value, alone and inside a batch.
        foreach (var field in InteractionFields)
        {
            foreach (var value in BadValues)
            {
                var never = NeverValid.Contains(value);
                bodies.Add(Json(Interactions, "wrong-type", ReplaceField(ValidInteraction(random, now), field, value)) with { MustReject = never });
                bodies.Add(Json(Interactions, "wrong-type-batch", "{\"interactions\":[" + ValidInteraction(random, now) + "," + ReplaceField(ValidInteraction(random, now), field, value) + "]}") with { MustReject = never });
            }
        }

        foreach (var field in FeedbackFields)
        {
            foreach (var value in BadValues)
            {
                var never = NeverValid.Contains(value);
                bodies.Add(Json(Feedback, "wrong-type", ReplaceField(ValidFeedback(random), field, value)) with { MustReject = never });
                bodies.Add(Json(Feedback, "wrong-type-batch", "{\"feedback\":[" + ValidFeedback(random) + "," + ReplaceField(ValidFeedback(random), field, value) + "]}") with { MustReject = never });
            }
        }

        // Each field null, each required field missing.
        foreach (var field in InteractionFields)
        {
            bodies.Add(Json(Interactions, "null-field", ReplaceField(ValidInteraction(random, now), field, "null")));
            bodies.Add(Json(Interactions, "missing-field", RemoveField(ValidInteraction(random, now), field)) with
            {
                MustReject = field is "trace_id" or "timestamp" or "model" or "status" or "latency_ms",
            });
        }

        foreach (var field in FeedbackFields)
        {
            bodies.Add(Json(Feedback, "null-field", ReplaceField(ValidFeedback(random), field, "null")));
            // The valid feedback is a rating: it needs its trace_id and value besides the type.
            bodies.Add(Json(Feedback, "missing-field", RemoveField(ValidFeedback(random), field)) with { MustReject = field is "type" or "trace_id" or "value" });
        }

        foreach (var path in new[] { Interactions, Feedback })
        {
            var valid = path == Interactions ? ValidInteraction(random, now) : ValidFeedback(random);
            var batch = path == Interactions ? "interactions" : "feedback";
            var other = path == Interactions ? "feedback" : "interactions";

            // Shapes that are fine: an empty batch, an escaped batch name, whitespace.
            foreach (var text in new[]
            {
                "{\"" + batch + "\" :[ ]}", "{\"\\u0069nteractions\":[" + valid + "]}",
                valid.Replace(":", ": ", StringComparison.Ordinal).Replace(",", " ,\n", StringComparison.Ordinal),
            })
            {
                bodies.Add(Json(path, "shape", text));
            }

            // Shapes that are not: empty, scalars, arrays, nulls, wrong batch shapes, trailing data, not JSON.
            foreach (var text in new[]
            {
                string.Empty, " ", "\n\t\r ", "null", "true", "0", "-1", "\"\"", "\"record\"", "[]", "[[]]", "{}", "[" + valid + "]", "[null]",
                "{\"" + batch + "\":null}", "{\"" + batch + "\":{}}", "{\"" + batch + "\":\"x\"}", "{\"" + batch + "\":1}", "{\"" + batch + "\":[null,1,\"x\",[],{}]}",
                "{\"" + batch + "\":[" + valid + "],\"extra\":1}", "{\"" + batch + "\":[" + valid + "],\"" + batch + "\":[" + valid + "]}",
                "{\"" + batch + "\":[" + valid + "],\"\\ud800\":1}", "{\"" + batch + "\":[" + valid + "],\"\\u0000\":1}", "{\"" + batch + "\":[" + valid + "]}}",
                "{\"" + batch + "\":[" + valid + "]]", "{\"" + batch + "\":[" + valid + "]} trailing", "{\"" + batch + "\":[" + valid + "]}{}",
                "{\"" + other + "\":[" + valid + "]}", "{\"" + batch.ToUpperInvariant() + "\":[" + valid + "]}",
                "{\"x\":1,\"" + batch + "\":[" + valid + "]}", valid + valid, valid + ",", "," + valid,
                "{" + valid, valid[..^1], valid + "}", "/* comment */" + valid, valid + "// comment", "{'trace_id':'x'}", "{trace_id:\"x\"}",
                "{\"trace_id\":\"a\",\"trace_id\":\"b\"," + valid[1..], "{\"" + batch + "\":[" + valid + "," + valid[..^1] + "]}",
                valid.Replace("\"", "'", StringComparison.Ordinal), "\"" + valid.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
            })
            {
                bodies.Add(Json(path, "shape", text) with { MustReject = true });
            }

            // Unknown fields, alone and many.
            for (var i = 0; i < 40; i++)
            {
                bodies.Add(Json(path, "unknown-field", AddField(valid, "x_" + RandomName(random), BadValues[random.Next(BadValues.Length)])) with { MustReject = true });
            }

            var many = new StringBuilder("{");
            for (var i = 0; i < 2000; i++)
            {
                many.Append(CultureInfo.InvariantCulture, $"\"f{i}\":{i},");
            }

            bodies.Add(Json(path, "unknown-field", many.Append("\"z\":0}").ToString()) with { MustReject = true });

            // NaN and Infinity literals where numbers go.
            foreach (var literal in new[] { "NaN", "Infinity", "-Infinity", "+Infinity", "nan", "inf", "1e400", "-1e400", "1e-400", "1E+400" })
            {
                foreach (var field in path == Interactions ? new[] { "latency_ms", "ttft_ms", "cost_usd", "input_tokens", "http_status" } : ["value"])
                {
                    var record = ReplaceField(valid, field, literal);
                    bodies.Add(Json(path, "nan-infinity", record) with { MustReject = literal != "1e-400" });
                    bodies.Add(Json(path, "nan-infinity", "{\"" + batch + "\":[" + record + "]}") with { MustReject = literal != "1e-400" });
                }

                if (path == Interactions)
                {
                    bodies.Add(Json(path, "nan-infinity", ReplaceField(valid, "embedding", "[1," + literal + ",2]")) with { MustReject = literal != "1e-400" });
                    bodies.Add(Json(path, "nan-infinity", ReplaceField(valid, "embedding", "[3.5e38,-3.5e38,1e39]")) with { MustReject = true });
                }
            }

            // Deep nesting, 10,000 levels, in every place it could go.
            foreach (var depth in new[] { 65, 100, 1000, 10_000 })
            {
                // (Each of these is refused: too deep, not a record, or a record with a field of the wrong shape.)
                var arrays = new string('[', depth) + new string(']', depth);
                var objects = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                bodies.Add(Json(path, "deep-nesting", arrays) with { MustReject = true });
                bodies.Add(Json(path, "deep-nesting", objects) with { MustReject = true });
                bodies.Add(Json(path, "deep-nesting", new string('[', depth)) with { MustReject = true });
                bodies.Add(Json(path, "deep-nesting", "{\"" + batch + "\":" + arrays + "}") with { MustReject = true });
                bodies.Add(Json(path, "deep-nesting", "{\"" + batch + "\":[" + objects + "]}") with { MustReject = true });
                bodies.Add(Json(path, "deep-nesting", ReplaceField(valid, path == Interactions ? "attributes" : "comment", objects)) with { MustReject = true });
                bodies.Add(Json(path, "deep-nesting", AddField(valid, "nested", arrays)) with { MustReject = true });
            }

            // Invalid UTF-8 and lone surrogates in values, names and between tokens.
            byte[][] badBytes = [[0xFF], [0xFE, 0xFF], [0xC0, 0x80], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x00], [0xEF, 0xBB, 0xBF]];
            foreach (var bad in badBytes)
            {
                // EF BB BF is valid UTF-8 (U+FEFF): inside a string it is just a character.
                var invalid = bad is not [0xEF, 0xBB, 0xBF];
                var utf8 = Encoding.UTF8.GetBytes(valid);
                foreach (var at in Positions(utf8))
                {
                    bodies.Add(new HostileBody(path, "invalid-utf8", [.. utf8[..at], .. bad, .. utf8[at..]]) { MustReject = invalid });
                }

                bodies.Add(new HostileBody(path, "invalid-utf8", [.. bad, .. utf8]) { MustReject = invalid });
                bodies.Add(new HostileBody(path, "invalid-utf8", [.. "{\""u8, .. bad, .. "\":1}"u8]) { MustReject = true });
                bodies.Add(new HostileBody(path, "invalid-utf8", [.. Encoding.UTF8.GetBytes("{\"" + batch + "\":["), .. utf8, .. ","u8, .. InsertInFirstString(utf8, bad), .. "]}"u8]) { MustReject = invalid });
            }

            foreach (var escape in new[] { "\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud800x", "\\u0000", "\\uffff", "\\ufffe", "\\u000", "\\", "\\q" })
            {
                foreach (var field in path == Interactions ? new[] { "trace_id", "model", "feature", "query", "user_tier" } : ["trace_id", "comment", "feature"])
                {
                    bodies.Add(Json(path, "escapes", ReplaceField(valid, field, "\"a" + escape + "b\"")) with { MustReject = escape is "\\q" });
                }

                bodies.Add(Json(path, "escapes", AddField(valid, "a" + escape, "1")) with { MustReject = true });
            }

            // Bodies over the limit: declared, chunked, and just over.
            foreach (var size in new[] { maxBodyBytes + 1, maxBodyBytes + 100, 2 * maxBodyBytes, 1 << 20 })
            {
                var padded = ReplaceField(valid, path == Interactions ? "query" : "comment", "\"" + new string('x', size) + "\"");
                bodies.Add(Json(path, "oversized", padded) with { IsOversized = true });
                bodies.Add(Json(path, "oversized", padded) with { IsOversized = true, Chunked = true });
                var randomBytes = new byte[size];
                random.NextBytes(randomBytes);
                bodies.Add(new HostileBody(path, "oversized", randomBytes, "application/octet-stream", Chunked: true) { IsOversized = true });
            }

            var many1000 = "{\"" + batch + "\":[" + string.Join(",", Enumerable.Repeat(valid, 1001)) + "]}";
            bodies.Add(Json(path, "oversized", many1000) with { IsOversized = Encoding.UTF8.GetByteCount(many1000) > maxBodyBytes });
            bodies.Add(Json(path, "too-many", "{\"" + batch + "\":[" + string.Join(",", Enumerable.Repeat("1", 1001)) + "]}") with { MustReject = true });
            bodies.Add(Json(path, "too-many", "{\"" + batch + "\":[" + string.Join(",", Enumerable.Repeat("{}", 1001)) + "]}") with { MustReject = true });

            // Wrong content types (the body is judged by itself, whatever it claims to be).
            foreach (var contentType in ContentTypes)
            {
                bodies.Add(Json(path, "content-type", valid) with { ContentType = contentType });
                bodies.Add(Json(path, "content-type", "a=1&b=2") with { ContentType = contentType, MustReject = true });
                bodies.Add(new HostileBody(path, "content-type", Encoding.Unicode.GetBytes(valid), contentType) { MustReject = true });
            }

            bodies.Add(Json(path, "content-type", valid) with { ContentType = null });
            bodies.Add(new HostileBody(path, "content-type", Encoding.Unicode.GetBytes(valid)) { MustReject = true });
            bodies.Add(new HostileBody(path, "content-type", Encoding.UTF32.GetBytes(valid)) { MustReject = true });
            bodies.Add(new HostileBody(path, "content-type", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(valid)]) { MustReject = true });

            // Every truncation of a valid record and of a batch.
            var batchText = "{\"" + batch + "\":[" + valid + "," + valid + "]}";
            for (var cut = 1; cut < valid.Length; cut += 2)
            {
                bodies.Add(Json(path, "truncated", valid[..cut]) with { MustReject = true });
            }

            for (var cut = 1; cut < batchText.Length; cut += 7)
            {
                bodies.Add(Json(path, "truncated", batchText[..cut]) with { MustReject = true });
            }
        }

        // Mutations of valid records and random bytes, alternating paths, until the corpus is big enough.
        while (bodies.Count < minimum)
        {
            var path = random.Next(2) == 0 ? Interactions : Feedback;
            var valid = Encoding.UTF8.GetBytes(path == Interactions ? ValidInteraction(random, now) : ValidFeedback(random));
            switch (random.Next(4))
            {
                case 0:
                    var bytes = new byte[random.Next(0, 2048)];
                    random.NextBytes(bytes);
                    bodies.Add(new HostileBody(path, "random-bytes", bytes, random.Next(3) == 0 ? "application/octet-stream" : "application/json") { MustReject = true });
                    break;
                case 1:
                    var printable = new char[random.Next(0, 512)];
                    const string alphabet = "{}[]\":,0123456789.eE+-tfnul \\abcxyz_\n";
                    for (var i = 0; i < printable.Length; i++)
                    {
                        printable[i] = alphabet[random.Next(alphabet.Length)];
                    }

                    // The alphabet cannot spell a field name, so no record can come out of it.
                    bodies.Add(Json(path, "random-json-chars", new string(printable)) with { MustReject = true });
                    break;
                default:
                    bodies.Add(new HostileBody(path, "mutated", Mutate(random, valid)));
                    break;
            }
        }

        // Whatever else is wrong with a body over the limit, the answer is 413.
        return [.. bodies.Select(b => b.Body.Length > maxBodyBytes ? b with { Kind = "oversized", IsOversized = true } : b)];
    }

    private static HostileBody Json(string path, string kind, string text) => new(path, kind, Encoding.UTF8.GetBytes(text));

    private static string ValidInteraction(Random random, DateTimeOffset now) =>
        "{\"trace_id\":\"fuzz-" + random.Next() + "-" + random.Next() + "\",\"timestamp\":\"" + now.AddSeconds(-random.Next(1, 600)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        + "\",\"model\":\"gpt-4.1-mini\",\"provider\":\"openai\",\"feature\":\"fuzz\",\"user_id\":\"u1\",\"user_tier\":\"free\",\"status\":\"success\""
        + ",\"http_status\":200,\"degradation\":\"none\",\"latency_ms\":" + random.Next(1, 5000) + ",\"ttft_ms\":12.5,\"input_tokens\":10,\"output_tokens\":20"
        + ",\"cached_tokens\":0,\"cache\":\"miss\",\"cache_type\":\"exact\",\"query\":\"q\",\"response\":\"r\",\"context\":\"c\",\"embedding\":[0.1,0.2]"
        + ",\"attributes\":{\"k\":\"v\"},\"error_type\":\"refusal\",\"cost_usd\":0.001}";

    private static string ValidFeedback(Random random) =>
        "{\"trace_id\":\"fuzz-" + random.Next() + "\",\"user_id\":\"u1\",\"feature\":\"fuzz\",\"type\":\"rating\",\"value\":" + random.Next(1, 6)
        + ",\"comment\":\"ok\",\"timestamp\":\"2025-01-01T00:00:00Z\"}";

    private static string ReplaceField(string record, string field, string value)
    {
        var key = "\"" + field + "\":";
        var start = record.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
        {
            return AddField(record, field, value);
        }

        var valueStart = start + key.Length;
        var end = ValueEnd(record, valueStart);
        return record[..valueStart] + value + record[end..];
    }

    private static string RemoveField(string record, string field)
    {
        var key = "\"" + field + "\":";
        var start = record.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
        {
            return record;
        }

        var end = ValueEnd(record, start + key.Length);
        if (record[end] == ',')
        {
            return record[..start] + record[(end + 1)..];
        }

        return record[start - 1] == ',' ? record[..(start - 1)] + record[end..] : record[..start] + record[end..];
    }

    private static string AddField(string record, string field, string value) => "{\"" + field + "\":" + value + "," + record[1..];

    // The end of the JSON value starting at `start` in the generated (valid, unspaced) records.
    private static int ValueEnd(string record, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < record.Length; i++)
        {
            var c = record[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}' when depth > 0:
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case ',' or '}' when depth == 0:
                    return i;
            }
        }

        return record.Length;
    }

    private static IEnumerable<int> Positions(byte[] utf8)
    {
        // Inside the first string value, inside a name, after a colon, before the end.
        var text = Encoding.UTF8.GetString(utf8);
        yield return text.IndexOf(':', StringComparison.Ordinal) + 3;
        yield return 3;
        yield return text.IndexOf(':', StringComparison.Ordinal) + 1;
        yield return utf8.Length - 1;
    }

    private static byte[] InsertInFirstString(byte[] utf8, byte[] bad)
    {
        var at = Array.IndexOf(utf8, (byte)':') + 3;
        return [.. utf8[..at], .. bad, .. utf8[at..]];
    }

    private static string RandomName(Random random)
    {
        var chars = new char[random.Next(1, 20)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next('a', 'z' + 1);
        }

        return new string(chars);
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        var mutations = random.Next(1, 6);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 16), bytes.Count - at));
                    break;
                case 2:
                    const string tokens = "{}[]\",:\\0-e.";
                    bytes.Insert(at, (byte)tokens[random.Next(tokens.Length)]);
                    break;
                case 3:
                    var from = random.Next(bytes.Count);
                    bytes.InsertRange(at, bytes.GetRange(from, Math.Min(8, bytes.Count - from)));
                    break;
                case 4:
                    bytes[at] = (byte)(bytes[at] ^ (1 << random.Next(8)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
