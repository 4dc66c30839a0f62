namespace Vigil.Evaluation.Calibration;

/// <summary>Judge–human agreement on one 1–5 dimension, both scores rounded to the nearest integer (halves up).</summary>
public sealed record ScoreAgreement
{
    /// <summary>Matched pairs with a human score for this dimension.</summary>
    public required long Labeled { get; init; }

    /// <summary>Share with the same score.</summary>
    public double? ExactAgreement { get; init; }

    /// <summary>Share at most one point apart.</summary>
    public double? WithinOneAgreement { get; init; }

    /// <summary>Cohen's kappa (unweighted).</summary>
    public double? Kappa { get; init; }

    /// <summary>Quadratic-weighted kappa.</summary>
    public double? QuadraticWeightedKappa { get; init; }

    /// <summary>5 × 5 counts: rows the human's score 1..5, columns the judge's score 1..5.</summary>
    public required long[][] ConfusionMatrix { get; init; }

    /// <summary>Against the target.</summary>
    public required CalibrationResult Result { get; init; }

    /// <summary>Why it failed, or notes (an undefined kappa); empty on a plain pass.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
}
