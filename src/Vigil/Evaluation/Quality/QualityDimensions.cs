using Vigil.Records;

namespace Vigil.Evaluation.Quality;

/// <summary>The rubric's dimensions: their order, their snake_case names and their scores in a verdict.</summary>
public static class QualityDimensions
{
    /// <summary>Every dimension, in the order of the evaluation record.</summary>
    public static IReadOnlyList<QualityDimension> All { get; } =
        [QualityDimension.Relevance, QualityDimension.Coherence, QualityDimension.Faithfulness, QualityDimension.Safety, QualityDimension.Overall];

    /// <summary>The field name of <paramref name="dimension"/> in the contract's records, e.g. <c>relevance</c>.</summary>
    public static string Name(QualityDimension dimension) => dimension switch
    {
        QualityDimension.Relevance => "relevance",
        QualityDimension.Coherence => "coherence",
        QualityDimension.Faithfulness => "faithfulness",
        QualityDimension.Safety => "safety",
        QualityDimension.Overall => "overall",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a quality dimension"),
    };

    /// <summary>The <c>drift_type</c> label of <c>llm_drift_score</c> for <paramref name="dimension"/>, e.g. <c>quality_relevance</c>.</summary>
    public static string DriftType(QualityDimension dimension) => dimension switch
    {
        QualityDimension.Relevance => "quality_relevance",
        QualityDimension.Coherence => "quality_coherence",
        QualityDimension.Faithfulness => "quality_faithfulness",
        QualityDimension.Safety => "quality_safety",
        QualityDimension.Overall => "quality_overall",
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
