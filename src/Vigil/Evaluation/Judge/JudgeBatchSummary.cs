using Vigil.Evaluation.Quality;
using Vigil.Records;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// The seed's batch summary (§6, <c>BatchQualityEvaluator</c>) of a set of verdicts: how many, the average of each
/// score, the hallucination rate, and the low-quality (overall ≤ 2) and high-quality (overall ≥ 4) counts; beside
/// them the judge errors by reason. The verdicts are summed by <see cref="QualityStats"/> under
/// <see cref="VerdictRules"/>, as the report sums them. Averages and the rate are null without verdicts (a figure
/// with no data is null); the rate is a share, 0..1, as every rate of the report.
/// </summary>
public sealed class JudgeBatchSummary
{
    private readonly SortedDictionary<string, long> _errors = new(StringComparer.Ordinal);

    /// <summary>The verdicts' sums.</summary>
    public QualityStats Verdicts { get; } = new();

    /// <summary>Verdicts added.</summary>
    public long Evaluated => Verdicts.Evaluated;

    /// <summary>Verdicts that found a hallucination.</summary>
    public long Hallucinations => Verdicts.Hallucinations;

    /// <summary>Verdicts with overall ≤ 2.</summary>
    public long LowQuality => Verdicts.LowQuality;

    /// <summary>Verdicts with overall ≥ 4.</summary>
    public long HighQuality => Verdicts.HighQuality;

    /// <summary>Judge errors added.</summary>
    public long Errors { get; private set; }

    /// <summary>Judge errors by reason label.</summary>
    public IReadOnlyDictionary<string, long> ErrorsByReason => _errors;

    /// <summary>Share of verdicts with a hallucination, 0..1; null without verdicts.</summary>
    public double? HallucinationRate => Verdicts.HallucinationRate;

    /// <summary>Adds a verdict.</summary>
    public void Add(EvaluationRecord evaluation) => Verdicts.Add(evaluation);

    /// <summary>Adds a judge error.</summary>
    public void Add(JudgeError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Errors++;
        _errors[error.Label] = _errors.GetValueOrDefault(error.Label) + 1;
    }

    /// <summary>The average of <paramref name="dimension"/> (one of <see cref="JudgeDimensions.Scores"/>); null without verdicts.</summary>
    public double? Average(string dimension)
    {
        var index = JudgeDimensions.Scores.ToList().IndexOf(dimension);
        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a scored dimension of the rubric");
        }

        return Verdicts.Average(QualityDimensions.All[index]);
    }
}
