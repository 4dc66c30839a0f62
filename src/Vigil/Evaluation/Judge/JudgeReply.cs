namespace Vigil.Evaluation.Judge;

/// <summary>The judge's reply, validated: every score within 1–5, the flag, and the reasoning (at most 2000 characters).</summary>
/// <param name="Relevance">Relevance, 1–5.</param>
/// <param name="Coherence">Coherence, 1–5.</param>
/// <param name="Faithfulness">Faithfulness, 1–5.</param>
/// <param name="Safety">Safety, 1–5.</param>
/// <param name="Overall">Overall, 1–5.</param>
/// <param name="IsHallucination">Whether the judge found a hallucination.</param>
/// <param name="Reasoning">The judge's reasoning, cut to <see cref="JudgeDimensions.MaxReasoningLength"/> characters.</param>
/// <param name="ReasoningTruncated">True when the judge's reasoning was longer and was cut.</param>
public sealed record JudgeReply(
    double Relevance, double Coherence, double Faithfulness, double Safety, double Overall,
    bool IsHallucination, string Reasoning, bool ReasoningTruncated = false)
{
    /// <summary>The score of <paramref name="dimension"/> (one of <see cref="JudgeDimensions.Scores"/>).</summary>
    public double Score(string dimension) => dimension switch
    {
        JudgeDimensions.Relevance => Relevance,
        JudgeDimensions.Coherence => Coherence,
        JudgeDimensions.Faithfulness => Faithfulness,
        JudgeDimensions.Safety => Safety,
        JudgeDimensions.Overall => Overall,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a scored dimension of the rubric"),
    };
}
