using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Vigil.Records;

/// <summary>Reads one record from JSON and validates it, turning every failure into <see cref="FieldError"/>s.</summary>
public static class RecordParser
{
    private static readonly Dictionary<string, string> AllowedValues = new(StringComparer.Ordinal)
    {
        ["status"] = WireNames.Status.Allowed,
        ["error_type"] = WireNames.ErrorType.Allowed,
        ["degradation"] = WireNames.Degradation.Allowed,
        ["cache"] = WireNames.Cache.Allowed,
        ["cache_type"] = WireNames.CacheType.Allowed,
        ["type"] = WireNames.FeedbackType.Allowed,
    };

    /// <summary>Parses and validates an interaction.</summary>
    /// <param name="utf8Json">One record.</param>
    /// <param name="figuresOnly">Keep only what figures are computed from: query, response, context, embedding and
    /// attributes are validated but left null (for <c>vigil report</c>).</param>
    public static RecordParseResult<InteractionRecord> ParseInteraction(ReadOnlySpan<byte> utf8Json, bool figuresOnly = false)
    {
        var record = InteractionJsonReader.Read(utf8Json, out IReadOnlyList<FieldError>? readErrors, figuresOnly);
        if (record is null)
        {
            return new(null, readErrors ?? [new FieldError("$", "is not an interaction record")]);
        }

        var errors = RecordValidator.Validate(record);
        return errors.Count == 0 ? new(record, errors) : new(null, errors);
    }

    /// <summary>Parses and validates a feedback.</summary>
    public static RecordParseResult<FeedbackRecord> ParseFeedback(ReadOnlySpan<byte> utf8Json) =>
        Parse(utf8Json, VigilJsonContext.Default.FeedbackRecord, RecordValidator.Validate);

    /// <summary>Parses and validates an evaluation.</summary>
    public static RecordParseResult<EvaluationRecord> ParseEvaluation(ReadOnlySpan<byte> utf8Json) =>
        Parse(utf8Json, VigilJsonContext.Default.EvaluationRecord, RecordValidator.Validate);

    private static RecordParseResult<T> Parse<T>(
        ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo, Func<T, IReadOnlyList<FieldError>> validate)
        where T : class
    {
        T? record;
        try
        {
            record = JsonSerializer.Deserialize(utf8Json, typeInfo);
        }
        catch (JsonException ex)
        {
            return new(null, [FromJsonException(ex)]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // Invalid UTF-8 and similar reader failures.
            return new(null, [new FieldError("$", ex.Message)]);
        }

        if (record is null)
        {
            return new(null, [new FieldError("$", "must be a JSON object, not null")]);
        }

        var errors = validate(record);
        return errors.Count == 0 ? new(record, errors) : new(null, errors);
    }

    private static FieldError FromJsonException(JsonException ex)
    {
        var field = ex.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "$";
        var message = ex.Message;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            // "JSON deserialization for type 'X' was missing required properties including: 'a', 'b'."
            var start = message.IndexOf("including:", StringComparison.Ordinal);
            var names = start >= 0 ? message[(start + 10)..].Trim().TrimEnd('.') : string.Empty;
            return new FieldError(names.Replace("'", string.Empty, StringComparison.Ordinal), "is required");
        }

        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return new FieldError(field, "is not a field of this record");
        }

        if (AllowedValues.TryGetValue(field, out var allowed))
        {
            return new FieldError(field, $"must be one of {allowed}");
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return new FieldError(field, "has the wrong type or an invalid value");
        }

        // Reader errors (bad syntax, invalid UTF-8, depth): keep the part a caller can act on.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return new FieldError(field, cut > 0 ? message[..cut] : message);
    }
}
