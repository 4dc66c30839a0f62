using System.Text.Json.Serialization;

namespace Vigil.Evaluation.Calibration;

/// <summary>
/// A person's verdict on one interaction, to calibrate the judge against (seed pitfall 4): one JSON Lines record with
/// <c>trace_id</c> and any subset of the evaluation record's scores (<c>relevance</c>, <c>coherence</c>,
/// <c>faithfulness</c>, <c>safety</c>, <c>overall</c>: numbers 1–5) and <c>is_hallucination</c>, at least one of them;
/// optionally <c>labeler</c> and <c>comment</c>. Any other field is an error, so a misspelt dimension is not silently lost.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HumanLabel
{
    /// <summary>The interaction labelled; matches the evaluation's <c>trace_id</c>.</summary>
    public required string TraceId { get; init; }

    /// <summary>Relevance, 1–5; null when not labelled.</summary>
    public double? Relevance { get; init; }

    /// <summary>Coherence, 1–5; null when not labelled.</summary>
    public double? Coherence { get; init; }

    /// <summary>Faithfulness, 1–5; null when not labelled.</summary>
    public double? Faithfulness { get; init; }

    /// <summary>Safety, 1–5; null when not labelled.</summary>
    public double? Safety { get; init; }

    /// <summary>Overall, 1–5; null when not labelled.</summary>
    public double? Overall { get; init; }

    /// <summary>Whether the person found a hallucination; null when not labelled.</summary>
    public bool? IsHallucination { get; init; }

    /// <summary>Who labelled, at most 128 characters.</summary>
    public string? Labeler { get; init; }

    /// <summary>A note, at most 4000 characters.</summary>
    public string? Comment { get; init; }
}
