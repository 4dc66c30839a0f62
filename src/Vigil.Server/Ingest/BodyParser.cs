using System.Text;
using System.Text.Json;
using Vigil.Records;

namespace Vigil.Server.Ingest;

/// <summary>
/// Reads a posted body that is one record, or <c>{"&lt;batchProperty&gt;": [ … ]}</c>. Each element of a batch
/// is parsed on its own, so one bad record is reported by index and the others are kept.
/// </summary>
public static class BodyParser
{
    /// <summary>Parses interactions.</summary>
    public static ParsedBody<InteractionRecord> Interactions(ReadOnlySpan<byte> body, int maxBatch) =>
        Parse(body, "interactions"u8, "interactions", maxBatch, json => KeyWithoutNul(RecordParser.ParseInteraction(json), r => r.TraceId));

    /// <summary>Parses feedback.</summary>
    public static ParsedBody<FeedbackRecord> Feedback(ReadOnlySpan<byte> body, int maxBatch) =>
        Parse(body, "feedback"u8, "feedback", maxBatch, json => KeyWithoutNul(RecordParser.ParseFeedback(json), r => r.TraceId));

    private delegate RecordParseResult<T> ParseOne<T>(ReadOnlySpan<byte> json)
        where T : class;

    private static ParsedBody<T> Parse<T>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> batchProperty, string batchName, int maxBatch, ParseOne<T> parseOne)
        where T : class
    {
        var records = new List<T>();
        var errors = new List<RecordError>();
        bool isBatch;
        try
        {
            isBatch = IsBatch(body, batchProperty);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new(records, errors, false, $"The body is not valid JSON: {ex.Message}");
        }

        if (!isBatch)
        {
            var result = parseOne(body);
            if (result.Record is { } record)
            {
                records.Add(record);
            }
            else
            {
                errors.AddRange(result.Errors.Select(e => new RecordError(null, e.Field, e.Message)));
            }

            return new(records, errors, false);
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            reader.Read(); // {
            reader.Read(); // the batch property
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return new(records, errors, true, $"'{batchName}' must be an array of records.") { BodyErrorField = batchName };
            }

            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (index >= maxBatch)
                {
                    return new([], [], true, $"'{batchName}' holds more than {maxBatch} records; send at most {maxBatch} a request.") { BodyErrorField = batchName };
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var element = body[start..(int)reader.BytesConsumed];
                var result = parseOne(element);
                if (result.Record is { } record)
                {
                    records.Add(record);
                }
                else
                {
                    var at = index;
                    errors.AddRange(result.Errors.Select(e => new RecordError(at, e.Field, e.Message)));
                }

                index++;
            }

            // After the array: the end of the object and then nothing (the reader throws on anything else).
            if (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // The raw name: GetString() throws on an escaped lone surrogate.
                return new([], [], true, $"A batch body holds only '{batchName}'; '{Encoding.UTF8.GetString(reader.ValueSpan)}' is not expected.") { BodyErrorField = batchName };
            }

            if (reader.Read())
            {
                return new([], [], true, "The body holds more than one JSON value.") { BodyErrorField = batchName };
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: text the reader cannot decode (e.g. an escaped lone surrogate).
            return new([], [], true, $"The body is not valid JSON: {ex.Message}") { BodyErrorField = batchName };
        }

        return new(records, errors, true);
    }

    // U+0000 is valid in a JSON string but not in a key: PostgreSQL's TEXT refuses it, and the failed commit would
    // fail every request committed with it (503s for other clients). No trace_id needs it; refuse it here.
    private static RecordParseResult<T> KeyWithoutNul<T>(RecordParseResult<T> result, Func<T, string?> traceId)
        where T : class =>
        result.Record is { } record && traceId(record)?.Contains('\0', StringComparison.Ordinal) == true
            ? new(null, [new FieldError("trace_id", "must not contain the character U+0000")])
            : result;

    private static bool IsBatch(ReadOnlySpan<byte> body, ReadOnlySpan<byte> batchProperty)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject
            && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(batchProperty);
    }
}
