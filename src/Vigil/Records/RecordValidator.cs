namespace Vigil.Records;

/// <summary>
/// The rules of the contract's schemas that JSON deserialization alone does not enforce
/// (lengths, ranges, per-type values). Every error names its field.
/// </summary>
public static class RecordValidator
{
    private const int MaxIdLength = 128;
    internal const int MaxTextLength = 65536;
    private const double MaxLatencyMs = 3_600_000;

    /// <summary>The errors of an interaction; empty when it is valid.</summary>
    public static IReadOnlyList<FieldError> Validate(InteractionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var errors = new List<FieldError>();
        RequiredLength(errors, "trace_id", record.TraceId, MaxIdLength);
        RequiredLength(errors, "model", record.Model, MaxIdLength);
        MaxLength(errors, "provider", record.Provider, 64);
        MaxLength(errors, "feature", record.Feature, 64);
        MaxLength(errors, "user_id", record.UserId, MaxIdLength);
        MaxLength(errors, "user_tier", record.UserTier, 32);
        if (record.HttpStatus is < 100 or > 599)
        {
            errors.Add(new("http_status", "must be an integer from 100 to 599"));
        }

        Milliseconds(errors, "latency_ms", record.LatencyMs);
        if (record.TtftMs is { } ttft)
        {
            Milliseconds(errors, "ttft_ms", ttft);
        }

        NonNegative(errors, "input_tokens", record.InputTokens);
        NonNegative(errors, "output_tokens", record.OutputTokens);
        NonNegative(errors, "cached_tokens", record.CachedTokens);
        if (record.CostUsd is < 0)
        {
            errors.Add(new("cost_usd", "must be at least 0"));
        }

        MaxLength(errors, "query", record.Query, MaxTextLength);
        MaxLength(errors, "response", record.Response, MaxTextLength);
        MaxLength(errors, "context", record.Context, MaxTextLength);
        if (record.Embedding is { } embedding)
        {
            if (embedding.Length is < 1 or > 4096)
            {
                errors.Add(new("embedding", "must have from 1 to 4096 numbers"));
            }
            else if (Array.FindIndex(embedding, v => !float.IsFinite(v)) is var bad and >= 0)
            {
                errors.Add(new($"embedding[{bad}]", "must be a finite number"));
            }
        }

        if (record.Attributes is { } attributes)
        {
            if (attributes.Count > 32)
            {
                errors.Add(new("attributes", "must have at most 32 entries"));
            }

            foreach (var (key, value) in attributes)
            {
                if (value is null)
                {
                    errors.Add(new($"attributes.{key}", "must be a string"));
                }
                else if (value.Length > 1024)
                {
                    errors.Add(new($"attributes.{key}", "must be at most 1024 characters"));
                }
            }
        }

        return errors;
    }

    /// <summary>The errors of a feedback; empty when it is valid.</summary>
    public static IReadOnlyList<FieldError> Validate(FeedbackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var errors = new List<FieldError>();
        if (record.TraceId is not null)
        {
            RequiredLength(errors, "trace_id", record.TraceId, MaxIdLength);
        }

        MaxLength(errors, "user_id", record.UserId, MaxIdLength);
        MaxLength(errors, "feature", record.Feature, 64);
        MaxLength(errors, "comment", record.Comment, 4000);
        switch (record.Type)
        {
            case FeedbackType.Thumbs:
                NeedsTrace(errors, record);
                if (record.Value is not (0 or 1))
                {
                    errors.Add(new("value", "thumbs takes 1 (up) or 0 (down)"));
                }

                break;
            case FeedbackType.Rating:
                NeedsTrace(errors, record);
                IntegerIn(errors, record.Value, 1, 5, "rating");
                break;
            case FeedbackType.Csat:
                IntegerIn(errors, record.Value, 1, 5, "csat");
                break;
            case FeedbackType.Nps:
                IntegerIn(errors, record.Value, 0, 10, "nps");
                break;
            case FeedbackType.Text:
                if (string.IsNullOrWhiteSpace(record.Comment))
                {
                    errors.Add(new("comment", "is required for type text"));
                }

                if (record.Value is not null)
                {
                    errors.Add(new("value", "must be absent for type text"));
                }

                break;
            default:
                errors.Add(new("type", "must be one of thumbs, rating, csat, nps, text"));
                break;
        }

        return errors;
    }

    /// <summary>The errors of an evaluation; empty when it is valid.</summary>
    public static IReadOnlyList<FieldError> Validate(EvaluationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var errors = new List<FieldError>();
        RequiredLength(errors, "trace_id", record.TraceId, MaxIdLength);
        if (record.JudgeModel is null)
        {
            errors.Add(new("judge_model", "is required"));
        }

        Score(errors, "relevance", record.Relevance);
        Score(errors, "coherence", record.Coherence);
        Score(errors, "faithfulness", record.Faithfulness);
        Score(errors, "safety", record.Safety);
        Score(errors, "overall", record.Overall);
        MaxLength(errors, "reasoning", record.Reasoning, 2000);
        return errors;
    }

    private static void NeedsTrace(List<FieldError> errors, FeedbackRecord record)
    {
        if (record.TraceId is null)
        {
            errors.Add(new("trace_id", $"is required for type {record.Type.ToString().ToLowerInvariant()}"));
        }
    }

    private static void IntegerIn(List<FieldError> errors, double? value, int min, int max, string type)
    {
        if (value is not { } v || v != Math.Floor(v) || v < min || v > max)
        {
            errors.Add(new("value", $"{type} takes an integer from {min} to {max}"));
        }
    }

    private static void Score(List<FieldError> errors, string field, double value)
    {
        if (!double.IsFinite(value) || value < 1 || value > 5)
        {
            errors.Add(new(field, "must be a number from 1 to 5"));
        }
    }

    private static void RequiredLength(List<FieldError> errors, string field, string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new(field, "is required and must not be empty"));
        }
        else if (value.Length > max)
        {
            errors.Add(new(field, $"must be at most {max} characters"));
        }
    }

    private static void MaxLength(List<FieldError> errors, string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(new(field, $"must be at most {max} characters"));
        }
    }

    private static void Milliseconds(List<FieldError> errors, string field, double value)
    {
        if (!double.IsFinite(value) || value < 0 || value > MaxLatencyMs)
        {
            errors.Add(new(field, "must be a number of milliseconds from 0 to 3600000"));
        }
    }

    private static void NonNegative(List<FieldError> errors, string field, long? value)
    {
        if (value is < 0)
        {
            errors.Add(new(field, "must be at least 0"));
        }
    }
}
