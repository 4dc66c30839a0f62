using Vigil.Evaluation.Judge;
using Vigil.Records;

namespace Vigil.Evaluation.Quality;

/// <summary>The rubric's dimensions: their order, their snake_case names and their scores in a verdict.</summary>
public static class QualityDimensions
{
    private const string DriftTypePrefix = "quality_";

    /// <summary>Every dimension, in the order of the evaluation record.</summary>
    public static IReadOnlyList<QualityDimension> All { get; } =
        [QualityDimension.Relevance, QualityDimension.Coherence, QualityDimension.Faithfulness, QualityDimension.Safety, QualityDimension.Overall];

    /// <summary>The field name of <paramref name="dimension"/> in the contract's records, e.g. <c>relevance</c>.</summary>
    public static string Name(QualityDimension dimension) => dimension switch
    {
        QualityDimension.Relevance => JudgeDimensions.Relevance,
        QualityDimension.Coherence => JudgeDimensions.Coherence,
        QualityDimension.Faithfulness => JudgeDimensions.Faithfulness,
        QualityDimension.Safety => JudgeDimensions.Safety,
        QualityDimension.Overall => JudgeDimensions.Overall,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a quality dimension"),
    };

    /// <summary>The <c>drift_type</c> label of <c>llm_drift_score</c> for <paramref name="dimension"/>, e.g. <c>quality_relevance</c>.</summary>
    public static string DriftType(QualityDimension dimension) => dimension switch
    {
        QualityDimension.Relevance => DriftTypePrefix + JudgeDimensions.Relevance,
        QualityDimension.Coherence => DriftTypePrefix + JudgeDimensions.Coherence,
        QualityDimension.Faithfulness => DriftTypePrefix + JudgeDimensions.Faithfulness,
        QualityDimension.Safety => DriftTypePrefix + JudgeDimensions.Safety,
        QualityDimension.Overall => DriftTypePrefix + JudgeDimensions.Overall,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a quality dimension"),
    };

    /// <summary>The score of <paramref name="dimension"/> in <paramref name="evaluation"/>.</summary>
    public static double Score(EvaluationRecord evaluation, QualityDimension dimension)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return dimension switch
        {
            QualityDimension.Relevance => evaluation.Relevance,
            QualityDimension.Coherence => evaluation.Coherence,
            QualityDimension.Faithfulness => evaluation.Faithfulness,
            QualityDimension.Safety => evaluation.Safety,
            QualityDimension.Overall => evaluation.Overall,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a quality dimension"),
        };
    }
}
