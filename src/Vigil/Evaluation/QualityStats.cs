using Vigil.Records;

namespace Vigil.Evaluation;

/// <summary>Judge verdicts summed: how many, average overall score, hallucinations.</summary>
public sealed class QualityStats
{
    /// <summary>Verdicts.</summary>
    public long Evaluated { get; private set; }
    /// <summary>Sum of overall scores.</summary>
    public double OverallSum { get; private set; }
    /// <summary>Verdicts that found a hallucination.</summary>
    public long Hallucinations { get; private set; }

    /// <summary>Average overall score; null without verdicts.</summary>
    public double? AverageOverall => Evaluated > 0 ? OverallSum / Evaluated : null;
    /// <summary>Share of verdicts with a hallucination, 0..1; null without verdicts.</summary>
    public double? HallucinationRate => Evaluated > 0 ? (double)Hallucinations / Evaluated : null;

    /// <summary>Adds (sign 1) or removes (sign −1) a verdict.</summary>
    public void Add(EvaluationRecord evaluation, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        Evaluated += sign;
        OverallSum += sign * evaluation.Overall;
        if (evaluation.IsHallucination)
        {
            Hallucinations += sign;
        }
    }

    /// <summary>Adds every figure of <paramref name="other"/>.</summary>
    public void Merge(QualityStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Evaluated += other.Evaluated;
        OverallSum += other.OverallSum;
        Hallucinations += other.Hallucinations;
    }
}
