using Vigil.Evaluation.Quality;
using Vigil.Records;

namespace Vigil.Evaluation;

/// <summary>
/// Judge verdicts summed, the one sum of them: how many, each score's sum, hallucinations, and the low- and
/// high-quality counts of <see cref="VerdictRules"/>. Verdicts can be added, removed (a replaced one) and sums merged,
/// so the report's windows, files and store scans and <c>vigil evaluate</c>'s batch summary compute with this class.
/// Averages and the rate are null without verdicts.
/// </summary>
public sealed class QualityStats
{
    private double _relevanceSum;
    private double _coherenceSum;
    private double _faithfulnessSum;
    private double _safetySum;

    /// <summary>Verdicts.</summary>
    public long Evaluated { get; private set; }
    /// <summary>Sum of overall scores.</summary>
    public double OverallSum { get; private set; }
    /// <summary>Verdicts that found a hallucination.</summary>
    public long Hallucinations { get; private set; }
    /// <summary>Verdicts with a low overall score (<see cref="VerdictRules.IsLowQuality"/>: ≤ 2).</summary>
    public long LowQuality { get; private set; }
    /// <summary>Verdicts with a high overall score (<see cref="VerdictRules.IsHighQuality"/>: ≥ 4).</summary>
    public long HighQuality { get; private set; }

    /// <summary>Average overall score; null without verdicts.</summary>
    public double? AverageOverall => Average(QualityDimension.Overall);
    /// <summary>Share of verdicts with a hallucination, 0..1; null without verdicts.</summary>
    public double? HallucinationRate => Evaluated > 0 ? (double)Hallucinations / Evaluated : null;

    /// <summary>The sum of <paramref name="dimension"/>'s scores.</summary>
    public double Sum(QualityDimension dimension) => dimension switch
    {
        QualityDimension.Relevance => _relevanceSum,
        QualityDimension.Coherence => _coherenceSum,
        QualityDimension.Faithfulness => _faithfulnessSum,
        QualityDimension.Safety => _safetySum,
        QualityDimension.Overall => OverallSum,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a quality dimension"),
    };

    /// <summary>The average of <paramref name="dimension"/>'s scores; null without verdicts.</summary>
    public double? Average(QualityDimension dimension)
    {
        var sum = Sum(dimension);
        return Evaluated > 0 ? sum / Evaluated : null;
    }

    /// <summary>Adds (sign 1) or removes (sign −1) a verdict.</summary>
    public void Add(EvaluationRecord evaluation, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        Evaluated += sign;
        _relevanceSum += sign * evaluation.Relevance;
        _coherenceSum += sign * evaluation.Coherence;
        _faithfulnessSum += sign * evaluation.Faithfulness;
        _safetySum += sign * evaluation.Safety;
        OverallSum += sign * evaluation.Overall;
        if (evaluation.IsHallucination)
        {
            Hallucinations += sign;
        }

        if (VerdictRules.IsLowQuality(evaluation.Overall))
        {
            LowQuality += sign;
        }

        if (VerdictRules.IsHighQuality(evaluation.Overall))
        {
            HighQuality += sign;
        }
    }

    /// <summary>Adds every figure of <paramref name="other"/>.</summary>
    public void Merge(QualityStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Evaluated += other.Evaluated;
        _relevanceSum += other._relevanceSum;
        _coherenceSum += other._coherenceSum;
        _faithfulnessSum += other._faithfulnessSum;
        _safetySum += other._safetySum;
        OverallSum += other.OverallSum;
        Hallucinations += other.Hallucinations;
        LowQuality += other.LowQuality;
        HighQuality += other.HighQuality;
    }
}
