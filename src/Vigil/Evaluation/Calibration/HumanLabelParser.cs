using System.Text.Json;
using Vigil.Evaluation.Quality;
using Vigil.Records;

namespace Vigil.Evaluation.Calibration;

/// <summary>Reads one <see cref="HumanLabel"/> from JSON and validates it, naming the field of every error.</summary>
public static class HumanLabelParser
{
    /// <summary>The label fields, one of which a label must have.</summary>
    public const string LabelFields = "relevance, coherence, faithfulness, safety, overall, is_hallucination";

    /// <summary>Parses and validates a human label.</summary>
    public static RecordParseResult<HumanLabel> Parse(ReadOnlySpan<byte> utf8Json)
    {
        HumanLabel? label;
        try
        {
            label = JsonSerializer.Deserialize(utf8Json, CalibrationJsonContext.Default.HumanLabel);
        }
        catch (JsonException ex)
        {
            return new(null, [FromJsonException(ex)]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            return new(null, [new FieldError("$", ex.Message)]);
        }

        if (label is null)
        {
            return new(null, [new FieldError("$", "must be a JSON object, not null")]);
        }

        var errors = Validate(label);
        return errors.Count == 0 ? new(label, errors) : new(null, errors);
    }

    /// <summary>The errors of a label; empty when it is valid.</summary>
    public static IReadOnlyList<FieldError> Validate(HumanLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(label.TraceId))
        {
            errors.Add(new("trace_id", "is required and must not be empty"));
        }
        else if (label.TraceId.Length > 128)
        {
            errors.Add(new("trace_id", "must be at most 128 characters"));
        }

        foreach (var dimension in QualityDimensions.All)
        {
            if (Score(label, dimension) is { } score && (!double.IsFinite(score) || score < 1 || score > 5))
            {
                errors.Add(new(QualityDimensions.Name(dimension), "must be a number from 1 to 5"));
            }
        }

        if (label.IsHallucination is null && QualityDimensions.All.All(d => Score(label, d) is null))
        {
            errors.Add(new("$", $"has no label: give at least one of {LabelFields}"));
        }

        if (label.Labeler is { Length: > 128 })
        {
            errors.Add(new("labeler", "must be at most 128 characters"));
        }

        if (label.Comment is { Length: > 4000 })
        {
            errors.Add(new("comment", "must be at most 4000 characters"));
        }

        return errors;
    }

    /// <summary>The label's score of <paramref name="dimension"/>; null when not labelled.</summary>
    public static double? Score(HumanLabel label, QualityDimension dimension)
    {
        ArgumentNullException.ThrowIfNull(label);
        return dimension switch
        {
            QualityDimension.Relevance => label.Relevance,
            QualityDimension.Coherence => label.Coherence,
            QualityDimension.Faithfulness => label.Faithfulness,
            QualityDimension.Safety => label.Safety,
            QualityDimension.Overall => label.Overall,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a quality dimension"),
        };
    }

    private static FieldError FromJsonException(JsonException ex)
    {
        var field = ex.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "$";
        var message = ex.Message;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return new FieldError("trace_id", "is required");
        }

        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return new FieldError(field, $"is not a field of a human label (trace_id, {LabelFields}, labeler, comment)");
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return new FieldError(field, field == "is_hallucination" ? "must be true or false" : "has the wrong type or an invalid value");
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return new FieldError(field, cut > 0 ? message[..cut] : message);
    }
}
