namespace Vigil.Evaluation.Calibration;

/// <summary>Judge–human agreement on is_hallucination.</summary>
public sealed record HallucinationAgreement
{
    /// <summary>Matched pairs with a human is_hallucination.</summary>
    public required long Labeled { get; init; }

    /// <summary>Share with the same answer.</summary>
    public double? Agreement { get; init; }

    /// <summary>Cohen's kappa.</summary>
    public double? Kappa { get; init; }

    /// <summary>2 × 2 counts: rows the human's answer (false, true), columns the judge's (false, true).</summary>
    public required long[][] ConfusionMatrix { get; init; }

    /// <summary>Against the target.</summary>
    public required CalibrationResult Result { get; init; }

    /// <summary>Why it failed, or notes; empty on a plain pass.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
}
