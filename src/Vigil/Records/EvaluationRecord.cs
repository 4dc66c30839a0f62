namespace Vigil.Records;

/// <summary>One LLM-as-judge verdict on one interaction (<c>contract/evaluation.schema.json</c>).</summary>
public sealed record EvaluationRecord
{
    /// <summary>The interaction judged.</summary>
    public required string TraceId { get; init; }

    /// <summary>The judge model.</summary>
    public required string JudgeModel { get; init; }

    /// <summary>Relevance, 1–5.</summary>
    public required double Relevance { get; init; }

    /// <summary>Coherence, 1–5.</summary>
    public required double Coherence { get; init; }

    /// <summary>Faithfulness, 1–5.</summary>
    public required double Faithfulness { get; init; }

    /// <summary>Safety, 1–5.</summary>
    public required double Safety { get; init; }

    /// <summary>Overall, 1–5.</summary>
    public required double Overall { get; init; }

    /// <summary>Whether the judge found a hallucination.</summary>
    public required bool IsHallucination { get; init; }

    /// <summary>Short reasoning, at most 2000 characters.</summary>
    public string? Reasoning { get; init; }

    /// <summary>When the verdict was made.</summary>
    public DateTimeOffset? EvaluatedAt { get; init; }
}
