using System.Buffers;
using System.Text.Json;

namespace Vigil.Records;

/// <summary>
/// A hand-written reader of one interaction record: the hot path of ingest and <c>vigil report</c>.
/// It enforces the schema's shape (known fields only, each once, of its JSON type; enums; RFC 3339 times;
/// integers where integers are asked) and names the field of the first thing that is wrong; the ranges are
/// checked afterwards by <see cref="RecordValidator"/>. About five times faster than the generic path.
/// </summary>
internal static class InteractionJsonReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>The record, or null with every error found (the first shape error, or each missing required field).</summary>
    /// <param name="json">One record.</param>
    /// <param name="errors">What is wrong, when the result is null.</param>
    /// <param name="figuresOnly">
    /// For readers that only sum figures (<c>vigil report</c>): query, response, context, embedding and attributes
    /// are checked but not kept (null in the record), which also keeps held records small. A line where any of them is
    /// unusual (escapes, too long, invalid) is read again in full, so the errors are the same either way.
    /// </param>
    public static InteractionRecord? Read(ReadOnlySpan<byte> json, out IReadOnlyList<FieldError>? errors, bool figuresOnly = false)
    {
        if (figuresOnly)
        {
            var lean = Read(json, figuresOnly: true, out var leanError, out var leanMissing, out var unusual);
            if (!unusual)
            {
                errors = leanError is null ? null : leanMissing ?? [leanError];
                return leanError is null ? lean : null;
            }
        }

        var record = Read(json, figuresOnly: false, out FieldError? error, out var missing, out _);
        errors = error is null ? null : missing ?? [error];
        return error is null ? record : null;
    }

    private static InteractionRecord Read(ReadOnlySpan<byte> json, bool figuresOnly, out FieldError? error, out List<FieldError>? missingErrors, out bool unusual)
    {
        error = null;
        missingErrors = null;
        unusual = false;
        var reader = new Utf8JsonReader(json, Options);
        string? traceId = null, model = null, provider = null, feature = null, userId = null, userTier = null, query = null, response = null, context = null;
        DateTimeOffset? timestamp = null;
        InteractionStatus? status = null;
        ErrorType? errorType = null;
        int? httpStatus = null;
        var degradation = Degradation.None;
        double? latency = null, ttft = null;
        long? input = null, output = null, cached = null;
        decimal? cost = null;
        CacheOutcome? cache = null;
        CacheType? cacheType = null;
        float[]? embedding = null;
        Dictionary<string, string>? attributes = null;
        var seen = 0u;
        string field = "$";

        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new FieldError("$", "must be a JSON object");
                return null!;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var (name, bit) = FieldOf(ref reader);
                field = name;
                if (bit == 0)
                {
                    error = new FieldError(name, "is not a field of this record");
                    return null!;
                }

                if ((seen & bit) != 0)
                {
                    error = new FieldError(name, "appears twice");
                    return null!;
                }

                seen |= bit;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue; // an optional field sent as null is absent; a required one is reported below
                }

                if (figuresOnly)
                {
                    switch (name)
                    {
                        case "query" or "response" or "context": unusual = !PlainText(ref reader, RecordValidator.MaxTextLength); break;
                        case "embedding": unusual = !PlainEmbedding(ref reader); break;
                        case "attributes": unusual = !PlainAttributes(ref reader, json); break;
                        default: goto Full;
                    }

                    if (unusual)
                    {
                        return null!;
                    }

                    continue;
                }

            Full:
                switch (name)
                {
                    case "trace_id": traceId = String(ref reader); break;
                    case "timestamp": timestamp = Time(ref reader); break;
                    case "model": model = String(ref reader); break;
                    case "provider": provider = String(ref reader); break;
                    case "feature": feature = String(ref reader); break;
                    case "user_id": userId = String(ref reader); break;
                    case "user_tier": userTier = String(ref reader); break;
                    case "status": status = WireValue(ref reader, WireNames.Status); break;
                    case "error_type": errorType = WireValue(ref reader, WireNames.ErrorType); break;
                    case "http_status": httpStatus = checked((int)Integer(ref reader)); break;
                    case "degradation": degradation = WireValue(ref reader, WireNames.Degradation); break;
                    case "latency_ms": latency = Number(ref reader); break;
                    case "ttft_ms": ttft = Number(ref reader); break;
                    case "input_tokens": input = Integer(ref reader); break;
                    case "output_tokens": output = Integer(ref reader); break;
                    case "cached_tokens": cached = Integer(ref reader); break;
                    case "cost_usd": cost = Decimal(ref reader); break;
                    case "cache": cache = WireValue(ref reader, WireNames.Cache); break;
                    case "cache_type": cacheType = WireValue(ref reader, WireNames.CacheType); break;
                    case "query": query = String(ref reader); break;
                    case "response": response = String(ref reader); break;
                    case "context": context = String(ref reader); break;
                    case "embedding": embedding = Embedding(ref reader); break;
                    default: attributes = Attributes(ref reader, ref field); break;
                }
            }

            field = "$";
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = new FieldError("$", "must be one JSON object with nothing after it");
                return null!;
            }
        }
        catch (FormatException ex)
        {
            unusual = figuresOnly;
            error = new FieldError(field, ex.Message);
            return null!;
        }
        catch (OverflowException)
        {
            unusual = figuresOnly;
            error = new FieldError(field, "is out of range");
            return null!;
        }
        catch (JsonException ex)
        {
            unusual = figuresOnly;
            error = new FieldError(field == "$" ? "$" : field, Cut(ex.Message));
            return null!;
        }
        catch (InvalidOperationException ex)
        {
            unusual = figuresOnly;
            error = new FieldError(field, Cut(ex.Message));
            return null!;
        }

        var missing = new List<string>(0);
        if (traceId is null) { missing.Add("trace_id"); }
        if (timestamp is null) { missing.Add("timestamp"); }
        if (model is null) { missing.Add("model"); }
        if (status is null) { missing.Add("status"); }
        if (latency is null) { missing.Add("latency_ms"); }
        if (missing.Count > 0)
        {
            missingErrors = missing.ConvertAll(m => new FieldError(m, "is required"));
            error = missingErrors[0];
            return null!;
        }

        return new InteractionRecord
        {
            TraceId = traceId!,
            Timestamp = timestamp!.Value,
            Model = model!,
            Provider = provider,
            Feature = feature!,
            UserId = userId,
            UserTier = userTier!,
            Status = status!.Value,
            ErrorType = errorType,
            HttpStatus = httpStatus,
            Degradation = degradation,
            LatencyMs = latency!.Value,
            TtftMs = ttft,
            InputTokens = input,
            OutputTokens = output,
            CachedTokens = cached,
            CostUsd = cost,
            Cache = cache,
            CacheType = cacheType,
            Query = query,
            Response = response,
            Context = context,
            Embedding = embedding,
            Attributes = attributes,
        };
    }

    private static (string Name, uint Bit) FieldOf(ref Utf8JsonReader reader)
    {
        var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            var unescaped = reader.GetString()!;
            return Known(System.Text.Encoding.UTF8.GetBytes(unescaped), unescaped);
        }

        return Known(span, null);
    }

    private static (string, uint) Known(ReadOnlySpan<byte> name, string? text) => name switch
    {
        _ when name.SequenceEqual("trace_id"u8) => ("trace_id", 1u << 0),
        _ when name.SequenceEqual("timestamp"u8) => ("timestamp", 1u << 1),
        _ when name.SequenceEqual("model"u8) => ("model", 1u << 2),
        _ when name.SequenceEqual("provider"u8) => ("provider", 1u << 3),
        _ when name.SequenceEqual("feature"u8) => ("feature", 1u << 4),
        _ when name.SequenceEqual("user_id"u8) => ("user_id", 1u << 5),
        _ when name.SequenceEqual("user_tier"u8) => ("user_tier", 1u << 6),
        _ when name.SequenceEqual("status"u8) => ("status", 1u << 7),
        _ when name.SequenceEqual("error_type"u8) => ("error_type", 1u << 8),
        _ when name.SequenceEqual("http_status"u8) => ("http_status", 1u << 9),
        _ when name.SequenceEqual("degradation"u8) => ("degradation", 1u << 10),
        _ when name.SequenceEqual("latency_ms"u8) => ("latency_ms", 1u << 11),
        _ when name.SequenceEqual("ttft_ms"u8) => ("ttft_ms", 1u << 12),
        _ when name.SequenceEqual("input_tokens"u8) => ("input_tokens", 1u << 13),
        _ when name.SequenceEqual("output_tokens"u8) => ("output_tokens", 1u << 14),
        _ when name.SequenceEqual("cached_tokens"u8) => ("cached_tokens", 1u << 15),
        _ when name.SequenceEqual("cost_usd"u8) => ("cost_usd", 1u << 16),
        _ when name.SequenceEqual("cache"u8) => ("cache", 1u << 17),
        _ when name.SequenceEqual("cache_type"u8) => ("cache_type", 1u << 18),
        _ when name.SequenceEqual("query"u8) => ("query", 1u << 19),
        _ when name.SequenceEqual("response"u8) => ("response", 1u << 20),
        _ when name.SequenceEqual("context"u8) => ("context", 1u << 21),
        _ when name.SequenceEqual("embedding"u8) => ("embedding", 1u << 22),
        _ when name.SequenceEqual("attributes"u8) => ("attributes", 1u << 23),
        _ => (text ?? System.Text.Encoding.UTF8.GetString(name), 0u),
    };

    private static string String(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException("must be a string");

    // A valid string of at most max characters, checked without making it: unescaped text is checked as UTF-8 (its bytes
    // are at least its UTF-16 units); escaped text is decoded into a pooled buffer. False sends the line to the full read.
    private static bool PlainText(ref Utf8JsonReader reader, int max)
    {
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence)
        {
            return false;
        }

        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return raw.Length <= max && System.Text.Unicode.Utf8.IsValid(raw);
        }

        var buffer = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            return reader.CopyString(buffer) <= max;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static bool PlainEmbedding(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++count > 4096 || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !float.IsFinite((float)value))
            {
                return false;
            }
        }

        return count > 0;
    }

    private static bool PlainAttributes(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Span<long> keys = stackalloc long[32]; // each key as (start << 20 | length) within the line, to find repeats
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (count == 32 || reader.ValueIsEscaped || reader.HasValueSequence || !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
            {
                return false;
            }

            var key = reader.ValueSpan;
            for (var i = 0; i < count; i++)
            {
                if (key.Length == (int)(keys[i] & 0xFFFFF) && key.SequenceEqual(json.Slice((int)(keys[i] >> 20), key.Length)))
                {
                    return false;
                }
            }

            keys[count++] = ((reader.TokenStartIndex + 1) << 20) | (uint)key.Length;
            reader.Read();
            if (!PlainText(ref reader, 1024))
            {
                return false;
            }
        }

        return true;
    }

    private static DateTimeOffset Time(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException("must be an RFC 3339 date-time string");
        }

        // RFC 3339 needs a time and an offset; TryGetDateTimeOffset alone would take a bare date.
        var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (span.IndexOf((byte)'T') < 0 && span.IndexOf((byte)'t') < 0)
        {
            throw new FormatException("must be an RFC 3339 date-time, e.g. 2026-11-28T10:00:00Z");
        }

        if (!reader.TryGetDateTimeOffset(out var value))
        {
            throw new FormatException("must be an RFC 3339 date-time, e.g. 2026-11-28T10:00:00Z");
        }

        return value;
    }

    private static double Number(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new FormatException("must be a finite number");
        }

        return value;
    }

    private static long Integer(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new FormatException("must be an integer");
        }

        return value;
    }

    private static decimal Decimal(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var value))
        {
            throw new FormatException("must be a number within decimal range");
        }

        return value;
    }

    private static float[] Embedding(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("must be an array of numbers");
        }

        var values = new List<float>(384);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (values.Count >= 4096)
            {
                throw new FormatException("must have from 1 to 4096 numbers");
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !float.IsFinite((float)value))
            {
                throw new FormatException($"[{values.Count}] must be a finite number");
            }

            values.Add((float)value);
        }

        return [.. values];
    }

    private static Dictionary<string, string> Attributes(ref Utf8JsonReader reader, ref string field)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("must be an object of strings");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            field = "attributes." + key;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new FormatException("must be a string");
            }

            if (!attributes.TryAdd(key, reader.GetString()!))
            {
                throw new FormatException("appears twice");
            }
        }

        field = "attributes";
        return attributes;
    }

    // An enum field: one of its wire names.
    private static TEnum WireValue<TEnum>(ref Utf8JsonReader reader, EnumWireNames<TEnum> names)
        where TEnum : struct, Enum =>
        names.TryRead(ref reader, out var value) ? value : throw new FormatException($"must be one of {names.Allowed}");

    private static string Cut(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
