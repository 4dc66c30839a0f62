using Vigil.Evaluation.Quality;
using Vigil.Records;

namespace Vigil.Evaluation;

/// <summary>
/// The seed's rules over a judge's verdict, in one place: low quality is a score of 2 or less (§6's batch summary
/// counts verdicts with overall ≤ 2), high quality an overall of 4 or more, and a hallucination's severity comes from
/// the verdict's faithfulness (§8 step 1: ≤ 2 high, ≤ 3 medium, else low). The batch summary, the report's sums,
/// the judge's evaluator interpretation, its metrics and the hallucination monitor all ask here.
/// </summary>
public static class VerdictRules
{
    /// <summary>The highest score that is low quality.</summary>
    public const double LowQualityMax = 2;

    /// <summary>The lowest overall score that is high quality.</summary>
    public const double HighQualityMin = 4;

    /// <summary>True when <paramref name="score"/> is low quality (≤ 2).</summary>
    public static bool IsLowQuality(double score) => score <= LowQualityMax;

    /// <summary>True when <paramref name="score"/> is high quality (≥ 4).</summary>
    public static bool IsHighQuality(double score) => score >= HighQualityMin;

    /// <summary>A hallucination's severity: high when faithfulness ≤ 2, medium when ≤ 3, low otherwise (the score as given, not rounded).</summary>
    public static HallucinationSeverity SeverityOf(double faithfulness) =>
        faithfulness <= 2 ? HallucinationSeverity.High
        : faithfulness <= 3 ? HallucinationSeverity.Medium
        : HallucinationSeverity.Low;

    /// <summary>The severity of <paramref name="evaluation"/>'s hallucination; null when it found none.</summary>
    public static HallucinationSeverity? SeverityOf(EvaluationRecord evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return evaluation.IsHallucination ? SeverityOf(evaluation.Faithfulness) : null;
    }
}
