using Vigil.Records;

namespace Vigil.Evaluation.Quality;

/// <summary>The seed's severity rule for a hallucination (§8 step 1, <c>LLMJudge.evaluate</c>), from the verdict's faithfulness.</summary>
public static class HallucinationSeverities
{
    /// <summary>High when faithfulness ≤ 2, medium when ≤ 3, low otherwise (the score as given, not rounded).</summary>
    public static HallucinationSeverity Of(double faithfulness) =>
        faithfulness <= 2 ? HallucinationSeverity.High
        : faithfulness <= 3 ? HallucinationSeverity.Medium
        : HallucinationSeverity.Low;

    /// <summary>The severity of <paramref name="evaluation"/>'s hallucination; null when it found none.</summary>
    public static HallucinationSeverity? Of(EvaluationRecord evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return evaluation.IsHallucination ? Of(evaluation.Faithfulness) : null;
    }

    /// <summary>The label value: <c>low</c>, <c>medium</c> or <c>high</c>.</summary>
    public static string Label(HallucinationSeverity severity) => severity switch
    {
        HallucinationSeverity.Low => "low",
        HallucinationSeverity.Medium => "medium",
        HallucinationSeverity.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "not a hallucination severity"),
    };
}
