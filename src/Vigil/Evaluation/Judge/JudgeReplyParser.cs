using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// Reads the judge's reply strictly. Accepted: one JSON object, alone or inside one Markdown code fence
/// (<c>```json</c> or <c>```</c>), with every field of the rubric: the five scores as JSON numbers within 1–5,
/// <c>is_hallucination</c> as a JSON boolean and <c>reasoning</c> as a string. Anything else (prose around the
/// object, a missing field, a score as a string, out of range or not finite, a repeated field) is rejected with
/// a reason naming the field; nothing is guessed or coerced. Fields beyond the rubric are ignored. A reasoning
/// longer than 2000 characters (the schema's limit) is cut to 2000 rather than rejected: the scores are sound
/// and a wordy judge should not cost the verdict; <see cref="JudgeReply.ReasoningTruncated"/> says so.
/// </summary>
public static class JudgeReplyParser
{
    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JudgeReply? reply, [NotNullWhen(false)] out string? error)
    {
        reply = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the reply is empty";
            return false;
        }

        if (!TryUnfence(text.Trim(), out var json, out error))
        {
            return false;
        }

        if (!json.StartsWith('{'))
        {
            error = "the reply is not a JSON object (there is text before it, or it is another kind of value)";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException ex)
        {
            error = $"the reply is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); text after the object is not allowed";
            return false;
        }

        using (document)
        {
            return TryRead(document.RootElement, out reply, out error);
        }
    }

    private static bool TryUnfence(string text, out string json, [NotNullWhen(false)] out string? error)
    {
        json = text;
        error = null;
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return true;
        }

        var firstNewline = text.IndexOf('\n', StringComparison.Ordinal);
        var info = firstNewline < 0 ? string.Empty : text[3..firstNewline].Trim();
        if (firstNewline < 0 || (info.Length > 0 && !info.Equals("json", StringComparison.OrdinalIgnoreCase))
            || text.Length < firstNewline + 4 || !text.EndsWith("```", StringComparison.Ordinal))
        {
            error = "the reply is a code block that is not one ```json fence around the JSON object";
            return false;
        }

        json = text[(firstNewline + 1)..^3].Trim();
        if (json.Contains("```", StringComparison.Ordinal))
        {
            error = "the reply has more than one code block";
            return false;
        }

        return true;
    }

    private static bool TryRead(JsonElement root, [NotNullWhen(true)] out JudgeReply? reply, [NotNullWhen(false)] out string? error)
    {
        reply = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "the reply is not a JSON object";
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                error = $"the field {property.Name} appears more than once";
                return false;
            }
        }

        Span<double> scores = stackalloc double[JudgeDimensions.Scores.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            if (!TryScore(root, JudgeDimensions.Scores[i], out scores[i], out error))
            {
                return false;
            }
        }

        if (!root.TryGetProperty(JudgeDimensions.IsHallucination, out var flag))
        {
            error = $"the field {JudgeDimensions.IsHallucination} is missing";
            return false;
        }

        if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = $"the field {JudgeDimensions.IsHallucination} must be true or false, not {Describe(flag)}";
            return false;
        }

        if (!root.TryGetProperty(JudgeDimensions.Reasoning, out var reasoningElement))
        {
            error = $"the field {JudgeDimensions.Reasoning} is missing";
            return false;
        }

        if (reasoningElement.ValueKind != JsonValueKind.String)
        {
            error = $"the field {JudgeDimensions.Reasoning} must be a string, not {Describe(reasoningElement)}";
            return false;
        }

        var reasoning = reasoningElement.GetString()!;
        var truncated = reasoning.Length > JudgeDimensions.MaxReasoningLength;
        if (truncated)
        {
            var cut = JudgeDimensions.MaxReasoningLength;
            if (char.IsHighSurrogate(reasoning[cut - 1]))
            {
                cut--; // never split a surrogate pair
            }

            reasoning = reasoning[..cut];
        }

        reply = new JudgeReply(scores[0], scores[1], scores[2], scores[3], scores[4], flag.GetBoolean(), reasoning, truncated);
        error = null;
        return true;
    }

    private static bool TryScore(JsonElement root, string name, out double score, [NotNullWhen(false)] out string? error)
    {
        score = double.NaN;
        if (!root.TryGetProperty(name, out var element))
        {
            error = $"the field {name} is missing";
            return false;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            error = $"the field {name} must be a number from 1 to 5, not {Describe(element)}";
            return false;
        }

        if (!element.TryGetDouble(out score) || !double.IsFinite(score))
        {
            error = $"the field {name} is not a finite number";
            return false;
        }

        if (score is < JudgeDimensions.MinScore or > JudgeDimensions.MaxScore)
        {
            error = $"the field {name} is {score.ToString(CultureInfo.InvariantCulture)}, outside 1 to 5";
            return false;
        }

        error = null;
        return true;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "an unknown value",
    };
}
