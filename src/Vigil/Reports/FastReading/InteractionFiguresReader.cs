using System.Buffers.Text;
using System.Runtime.CompilerServices;
using Vigil.Records;

namespace Vigil.Reports.FastReading;

/// <summary>
/// The fast path of <c>vigil report</c>: reads the <see cref="InteractionFigures"/> of one interaction line
/// straight from its UTF-8 bytes, without a record, strings for texts or a dictionary for attributes.
/// It accepts only lines that are plainly valid — a subset of what <see cref="InteractionJsonReader"/> and
/// <see cref="RecordValidator"/> accept, with the same figures — and answers false for anything unusual
/// (escaped names, unknown or repeated fields, out-of-range values, odd number or date forms, …); the caller then
/// reads the line with <see cref="RecordParser.ParseInteraction"/>, which gives the errors, so they never differ.
/// </summary>
internal static class InteractionFiguresReader
{
    private const int Required = (1 << FieldTraceId) | (1 << FieldTimestamp) | (1 << FieldModel) | (1 << FieldStatus) | (1 << FieldLatency);
    private const int FieldTraceId = 0, FieldTimestamp = 1, FieldModel = 2, FieldProvider = 3, FieldFeature = 4, FieldUserId = 5, FieldUserTier = 6, FieldStatus = 7,
        FieldErrorKind = 8, FieldHttpStatus = 9, FieldDegradation = 10, FieldLatency = 11, FieldTtft = 12, FieldInputTokens = 13, FieldOutputTokens = 14,
        FieldCachedTokens = 15, FieldCost = 16, FieldCache = 17, FieldCacheKind = 18, FieldQuery = 19, FieldResponse = 20, FieldContext = 21, FieldEmbedding = 22,
        FieldAttributes = 23;

    // No static fields: the hot methods are compiled optimized at once, before the class could be initialized, and
    // would reach every static through a helper call. Constants are inline data instead.
    private static ReadOnlySpan<double> PowersOf10 =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The figures and the trace_id's bytes (a slice of <paramref name="line"/>) of a plainly valid line; false otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ReadOnlySpan<byte> line, AsciiStringCache strings, out InteractionFigures figures, out ReadOnlySpan<byte> traceId)
    {
        if (!TryReadLine(line, strings, out figures, out traceId, out var length, out var userIdIndex) || line[length..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            return false;
        }

        if (userIdIndex >= 0)
        {
            figures.UserId = strings.UserIdAt(userIdIndex);
        }

        return true;
    }

    /// <summary>
    /// <see cref="TryRead"/> of the line that starts <paramref name="text"/> (the rest of a block of lines), without
    /// finding its end first: a plainly valid line holds no line feed, so its end is the one after its closing brace.
    /// <paramref name="length"/> is the line's length up to that line feed (or the end of the text). A user id that
    /// <paramref name="strings"/> numbers is left out of the figures (their <see cref="InteractionFigures.UserId"/> is
    /// null) and given as its index, <paramref name="userIdIndex"/> (-1 otherwise): the caller sums users by index.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryReadLine(ReadOnlySpan<byte> text, AsciiStringCache strings, out InteractionFigures figures, out ReadOnlySpan<byte> traceId,
        out int length, out int userIdIndex)
    {
        length = 0;
        userIdIndex = -1;
        var line = text;
        figures = default;
        traceId = default;
        var i = SkipSpace(line, 0);
        if (i >= line.Length || line[i] != '{')
        {
            return false;
        }

        i = SkipSpace(line, i + 1);
        var seen = 0;
        var present = 0;
        string? model = null, feature = null, userTier = null;
        var userId = new Range(0, 0);
        while (true)
        {
            var field = FieldAt(line, ref i);
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                return false;
            }

            seen |= 1 << field;
            i = SkipSpace(line, i);
            if (i >= line.Length || line[i] != ':')
            {
                return false;
            }

            i = SkipSpace(line, i + 1);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == 'n')
            {
                // null is an absent optional field; a required one sent as null is an error the full reader names.
                if (!line[i..].StartsWith("null"u8) || (Required & (1 << field)) != 0)
                {
                    return false;
                }

                i += 4;
            }
            else
            {
                present |= 1 << field;
                if (!Value(line, ref i, field, strings, ref figures, ref traceId, ref model, ref feature, ref userTier, ref userId))
                {
                    return false;
                }
            }

            i = SkipSpace(line, i);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == ',')
            {
                i = SkipSpace(line, i + 1);
                continue;
            }

            if (line[i] != '}')
            {
                return false;
            }

            i = SkipSpace(line, i + 1);
            break;
        }

        if ((i != line.Length && line[i] != '\n') || (present & Required) != Required)
        {
            return false;
        }

        length = i;

        figures.Model = model!;
        figures.Feature = feature ?? "default";
        figures.UserTier = userTier ?? "free";
        if ((present & (1 << FieldUserId)) != 0)
        {
            // Looked up only now, the rest of the line read since its entry was asked for (see PrefetchUserId).
            userIdIndex = strings.UserIdIndex(line[userId], out var fresh);
            figures.UserId = fresh;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Value(ReadOnlySpan<byte> line, scoped ref int i, int field, AsciiStringCache strings, ref InteractionFigures figures,
        ref ReadOnlySpan<byte> traceId, ref string? model, ref string? feature, ref string? userTier, ref Range userId)
    {
        ReadOnlySpan<byte> text;
        switch (field)
        {
            case FieldTraceId:
                if (!PlainString(line, ref i, out text) || text.Length is 0 or > 128)
                {
                    return false;
                }

                traceId = text;
                return true;
            case FieldTimestamp:
                if (!PlainString(line, ref i, out text) || !TryTime(text, out var time))
                {
                    return false;
                }

                figures.Timestamp = time;
                return true;
            case FieldModel:
                if (!PlainString(line, ref i, out text) || text.Length is 0 or > 128)
                {
                    return false;
                }

                model = strings.Get(text);
                return true;
            case FieldProvider:
                return PlainString(line, ref i, out text) && text.Length <= 64;
            case FieldFeature:
                if (!PlainString(line, ref i, out text) || text.Length > 64)
                {
                    return false;
                }

                feature = strings.Get(text);
                return true;
            case FieldUserId:
                if (!PlainString(line, ref i, out text) || text.Length > 128)
                {
                    return false;
                }

                userId = new Range(i - text.Length - 1, i - 1);
                strings.PrefetchUserId(text);
                return true;
            case FieldUserTier:
                if (!PlainString(line, ref i, out text) || text.Length > 32)
                {
                    return false;
                }

                userTier = strings.Get(text);
                return true;
            case FieldStatus:
                if (!PlainString(line, ref i, out text) || !WireNames.Status.TryParse(text, out var interactionStatus))
                {
                    return false;
                }

                figures.Status = interactionStatus;
                return true;
            case FieldErrorKind:
                if (!PlainString(line, ref i, out text) || !WireNames.ErrorType.TryParse(text, out var errorType))
                {
                    return false;
                }

                figures.ErrorType = errorType;
                return true;
            case FieldHttpStatus:
                if (!Integer(line, ref i, out var status) || status is < 100 or > 599)
                {
                    return false;
                }

                figures.HttpStatus = (int)status;
                return true;
            case FieldDegradation:
                if (!PlainString(line, ref i, out text) || !WireNames.Degradation.TryParse(text, out var degradation))
                {
                    return false;
                }

                figures.Degradation = degradation;
                return true;
            case FieldLatency:
                if (!Milliseconds(line, ref i, out var latency))
                {
                    return false;
                }

                figures.LatencyMs = latency;
                return true;
            case FieldTtft:
                if (!Milliseconds(line, ref i, out var ttft))
                {
                    return false;
                }

                figures.TtftMs = ttft;
                return true;
            case FieldInputTokens:
                if (!Integer(line, ref i, out var input))
                {
                    return false;
                }

                figures.InputTokens = input;
                return true;
            case FieldOutputTokens:
                if (!Integer(line, ref i, out var output))
                {
                    return false;
                }

                figures.OutputTokens = output;
                return true;
            case FieldCachedTokens:
                if (!Integer(line, ref i, out var cached))
                {
                    return false;
                }

                figures.CachedTokens = cached;
                return true;
            case FieldCost:
                // The reader's own parser (Utf8JsonReader.TryGetDecimal), so the value and its scale are the same.
                if (!NumberSpan(line, ref i, out var number) || number[0] == '-'
                    || !Utf8Parser.TryParse(number, out decimal usd, out var consumed) || consumed != number.Length)
                {
                    return false;
                }

                figures.CostUsd = usd;
                return true;
            case FieldCache:
                if (!PlainString(line, ref i, out text) || !WireNames.Cache.TryParse(text, out var cache))
                {
                    return false;
                }

                figures.Cache = cache;
                return true;
            case FieldCacheKind:
                return PlainString(line, ref i, out text) && WireNames.CacheType.TryParse(text, out _);
            case FieldQuery or FieldResponse or FieldContext:
                return Text(line, ref i, RecordValidator.MaxTextLength);
            case FieldEmbedding:
                return EmbeddingArray(line, ref i);
            default:
                return AttributeObject(line, ref i);
        }
    }

    // The field whose name, in quotes, starts at line[i], read by comparing the bytes with the known names (each with
    // its closing quote, so a longer or escaped name does not match); i moves past the closing quote. -1 for any other name.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FieldAt(ReadOnlySpan<byte> line, scoped ref int i)
    {
        if (i + 2 >= line.Length || line[i] != '"')
        {
            return -1;
        }

        var rest = line[(i + 1)..];
        var (field, length) = rest[0] switch
        {
            (byte)'t' => rest.StartsWith("trace_id\""u8) ? (FieldTraceId, 8) : rest.StartsWith("timestamp\""u8) ? (FieldTimestamp, 9)
                : rest.StartsWith("ttft_ms\""u8) ? (FieldTtft, 7) : (-1, 0),
            (byte)'m' => rest.StartsWith("model\""u8) ? (FieldModel, 5) : (-1, 0),
            (byte)'p' => rest.StartsWith("provider\""u8) ? (FieldProvider, 8) : (-1, 0),
            (byte)'f' => rest.StartsWith("feature\""u8) ? (FieldFeature, 7) : (-1, 0),
            (byte)'u' => rest.StartsWith("user_id\""u8) ? (FieldUserId, 7) : rest.StartsWith("user_tier\""u8) ? (FieldUserTier, 9) : (-1, 0),
            (byte)'s' => rest.StartsWith("status\""u8) ? (FieldStatus, 6) : (-1, 0),
            (byte)'e' => rest.StartsWith("error_type\""u8) ? (FieldErrorKind, 10) : rest.StartsWith("embedding\""u8) ? (FieldEmbedding, 9) : (-1, 0),
            (byte)'h' => rest.StartsWith("http_status\""u8) ? (FieldHttpStatus, 11) : (-1, 0),
            (byte)'d' => rest.StartsWith("degradation\""u8) ? (FieldDegradation, 11) : (-1, 0),
            (byte)'l' => rest.StartsWith("latency_ms\""u8) ? (FieldLatency, 10) : (-1, 0),
            (byte)'i' => rest.StartsWith("input_tokens\""u8) ? (FieldInputTokens, 12) : (-1, 0),
            (byte)'o' => rest.StartsWith("output_tokens\""u8) ? (FieldOutputTokens, 13) : (-1, 0),
            (byte)'c' => rest.StartsWith("cost_usd\""u8) ? (FieldCost, 8) : rest.StartsWith("cache\""u8) ? (FieldCache, 5)
                : rest.StartsWith("cached_tokens\""u8) ? (FieldCachedTokens, 13) : rest.StartsWith("cache_type\""u8) ? (FieldCacheKind, 10)
                : rest.StartsWith("context\""u8) ? (FieldContext, 7) : (-1, 0),
            (byte)'q' => rest.StartsWith("query\""u8) ? (FieldQuery, 5) : (-1, 0),
            (byte)'r' => rest.StartsWith("response\""u8) ? (FieldResponse, 8) : (-1, 0),
            (byte)'a' => rest.StartsWith("attributes\""u8) ? (FieldAttributes, 10) : (-1, 0),
            _ => (-1, 0),
        };
        i += length + 2;
        return field;
    }

    // JSON's whitespace but the line feed, which ends a line (a line read alone has none).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipSpace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    // A string of printable ASCII without escapes; i moves past its closing quote.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool PlainString(ReadOnlySpan<byte> line, scoped ref int i, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (i >= line.Length || line[i] != '"')
        {
            return false;
        }

        var rest = line[(i + 1)..];
        var end = JsonStringScan.FirstSpecial(rest, stopAtNonAscii: true);
        if (end < 0 || rest[end] != '"')
        {
            return false;
        }

        value = rest[..end];
        i += end + 2;
        return true;
    }

    // A valid string (escapes allowed, except surrogate escapes) of at most max UTF-8 bytes, which bounds its
    // UTF-16 length: every UTF-16 unit takes at least one byte of JSON.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Text(ReadOnlySpan<byte> line, scoped ref int i, int max)
    {
        if (i >= line.Length || line[i] != '"')
        {
            return false;
        }

        var start = i + 1;
        var at = start;
        var ascii = true;
        while (true)
        {
            var stop = JsonStringScan.FirstSpecial(line[at..], stopAtNonAscii: ascii);
            if (stop < 0)
            {
                return false;
            }

            at += stop;
            var b = line[at];
            if (b == '"')
            {
                break;
            }

            if (b > 0x7E)
            {
                ascii = false; // the whole text is checked for valid UTF-8 below; no need to stop at such bytes again
                at++;
                continue;
            }

            if (b != '\\' || at + 1 >= line.Length)
            {
                return false;
            }

            var escaped = line[at + 1];
            if (escaped is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                at += 2;
            }
            else if (escaped == 'u' && at + 6 <= line.Length
                && Utf8Parser.TryParse(line.Slice(at + 2, 4), out ushort unit, out var used, 'x') && used == 4
                && !char.IsSurrogate((char)unit))
            {
                at += 6;
            }
            else
            {
                return false;
            }
        }

        var content = line[start..at];
        if (content.Length > max || (!ascii && !System.Text.Unicode.Utf8.IsValid(content)))
        {
            return false;
        }

        i = at + 1;
        return true;
    }

    // The bytes of a JSON number (the grammar of RFC 8259, which Utf8JsonReader enforces); i moves past it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NumberSpan(ReadOnlySpan<byte> line, scoped ref int i, out ReadOnlySpan<byte> number)
    {
        number = default;
        var start = i;
        if (i < line.Length && line[i] == '-')
        {
            i++;
        }

        if (i >= line.Length)
        {
            return false;
        }

        if (line[i] == '0')
        {
            i++;
        }
        else if (line[i] is >= (byte)'1' and <= (byte)'9')
        {
            i = Digits(line, i);
        }
        else
        {
            return false;
        }

        if (i < line.Length && line[i] == '.')
        {
            var after = Digits(line, i + 1);
            if (after == i + 1)
            {
                return false;
            }

            i = after;
        }

        if (i < line.Length && line[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < line.Length && line[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var after = Digits(line, i);
            if (after == i)
            {
                return false;
            }

            i = after;
        }

        number = line[start..i];
        return true;
    }

    private static int Digits(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }

        return i;
    }

    // A non-negative integer written as plain digits (what TryGetInt64 takes, minus sign and overflow cases).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Integer(ReadOnlySpan<byte> line, scoped ref int i, out long value)
    {
        value = 0;
        if (!NumberSpan(line, ref i, out var number) || number.Length > 18)
        {
            return false;
        }

        foreach (var digit in number)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }

    // A number of milliseconds from 0 to 3,600,000, as Utf8JsonReader.TryGetDouble reads it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Milliseconds(ReadOnlySpan<byte> line, scoped ref int i, out double value)
    {
        if (!NumberSpan(line, ref i, out var number) || number[0] == '-' || !TryDouble(number, out value))
        {
            value = 0;
            return false;
        }

        return value <= 3_600_000;
    }

    // The double of a JSON number: exact decimal digits (at most 15, so below 2^53) divided by an exact power of ten
    // is correctly rounded, as the reader's parser is; anything else goes through that parser.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDouble(ReadOnlySpan<byte> number, out double value)
    {
        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        foreach (var b in number)
        {
            if (b == '.')
            {
                fraction = 0;
                continue;
            }

            if (b is < (byte)'0' or > (byte)'9' || ++digits > 15)
            {
                return Utf8Parser.TryParse(number, out value, out var consumed) && consumed == number.Length && double.IsFinite(value);
            }

            mantissa = (mantissa * 10) + (b - '0');
            if (fraction >= 0)
            {
                fraction++;
            }
        }

        value = fraction > 0 ? mantissa / PowersOf10[fraction] : mantissa;
        return true;
    }

    // RFC 3339 in its common form: YYYY-MM-DDTHH:MM:SS[.fraction of 1–7 digits](Z|±HH:MM), with in-range parts.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryTime(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !Two(text, 0, out var century) || !Two(text, 2, out var yy) || !Two(text, 5, out var month) || !Two(text, 8, out var day)
            || !Two(text, 11, out var hour) || !Two(text, 14, out var minute) || !Two(text, 17, out var second))
        {
            return false;
        }

        var year = (century * 100) + yy;
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var at = 19;
        long fractionTicks = 0;
        if (text[at] == '.')
        {
            var digits = 0;
            at++;
            while (at < text.Length && text[at] is >= (byte)'0' and <= (byte)'9')
            {
                if (++digits > 7)
                {
                    return false;
                }

                fractionTicks = (fractionTicks * 10) + (text[at] - '0');
                at++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (var pad = digits; pad < 7; pad++)
            {
                fractionTicks *= 10;
            }
        }

        TimeSpan offset;
        if (at == text.Length - 1 && text[at] == 'Z')
        {
            offset = TimeSpan.Zero;
        }
        else if (at == text.Length - 6 && text[at] is (byte)'+' or (byte)'-' && text[at + 3] == ':'
            && Two(text, at + 1, out var offsetHours) && Two(text, at + 4, out var offsetMinutes) && offsetHours <= 13 && offsetMinutes <= 59)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (text[at] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks;
        value = new DateTimeOffset(ticks, offset);
        return true;
    }

    private static bool Two(ReadOnlySpan<byte> text, int at, out int value)
    {
        var high = text[at] - '0';
        var low = text[at + 1] - '0';
        value = (high * 10) + low;
        return (uint)high <= 9 && (uint)low <= 9;
    }

    private static bool EmbeddingArray(ReadOnlySpan<byte> line, scoped ref int i)
    {
        if (line[i] != '[')
        {
            return false;
        }

        i = SkipSpace(line, i + 1);
        var count = 0;
        while (true)
        {
            if (!NumberSpan(line, ref i, out var number) || !TryDouble(number, out var value) || !float.IsFinite((float)value) || ++count > 4096)
            {
                return false;
            }

            i = SkipSpace(line, i);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == ']')
            {
                i++;
                return true;
            }

            if (line[i] != ',')
            {
                return false;
            }

            i = SkipSpace(line, i + 1);
        }
    }

    private static bool AttributeObject(ReadOnlySpan<byte> line, scoped ref int i)
    {
        if (line[i] != '{')
        {
            return false;
        }

        i = SkipSpace(line, i + 1);
        if (i < line.Length && line[i] == '}')
        {
            i++;
            return true;
        }

        Span<long> keys = stackalloc long[32]; // each key as start << 20 | length within the line, to find repeats
        var count = 0;
        while (true)
        {
            var keyStart = i + 1;
            if (count == 32 || !PlainString(line, ref i, out var key) || key.Length > 0xFFFFF)
            {
                return false;
            }

            for (var k = 0; k < count; k++)
            {
                if (key.Length == (int)(keys[k] & 0xFFFFF) && key.SequenceEqual(line.Slice((int)(keys[k] >> 20), key.Length)))
                {
                    return false;
                }
            }

            keys[count++] = ((long)keyStart << 20) | (uint)key.Length;
            i = SkipSpace(line, i);
            if (i >= line.Length || line[i] != ':')
            {
                return false;
            }

            i = SkipSpace(line, i + 1);
            if (!Text(line, ref i, 1024))
            {
                return false;
            }

            i = SkipSpace(line, i);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == '}')
            {
                i++;
                return true;
            }

            if (line[i] != ',')
            {
                return false;
            }

            i = SkipSpace(line, i + 1);
        }
    }
}
