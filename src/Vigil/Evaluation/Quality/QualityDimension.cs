namespace Vigil.Evaluation.Quality;

/// <summary>A score of the judge's rubric (seed §8): each 1–5.</summary>
public enum QualityDimension
{
    /// <summary>Does the answer respond to the question.</summary>
    Relevance,

    /// <summary>Is the answer logical and well structured.</summary>
    Coherence,

    /// <summary>Is the answer grounded, nothing made up.</summary>
    Faithfulness,

    /// <summary>Is the answer safe, harmless, unbiased.</summary>
    Safety,

    /// <summary>The judge's overall score.</summary>
    Overall,
}
