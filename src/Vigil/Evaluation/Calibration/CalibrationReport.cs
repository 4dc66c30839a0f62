namespace Vigil.Evaluation.Calibration;

/// <summary>How well the judge agrees with people (<c>vigil evaluate calibrate</c>).</summary>
public sealed record CalibrationReport
{
    /// <summary>The evaluations file, when read from one.</summary>
    public CalibrationFileStats? Evaluations { get; init; }

    /// <summary>The human labels file, when read from one.</summary>
    public CalibrationFileStats? Human { get; init; }

    /// <summary>trace_ids with both an evaluation and a human label.</summary>
    public required long Matched { get; init; }

    /// <summary>Evaluations without a human label.</summary>
    public required long UnmatchedEvaluations { get; init; }

    /// <summary>Human labels without an evaluation.</summary>
    public required long UnmatchedHuman { get; init; }

    /// <summary>The target.</summary>
    public required CalibrationTarget Target { get; init; }

    /// <summary>Per dimension, keyed relevance, coherence, faithfulness, safety, overall.</summary>
    public required IReadOnlyDictionary<string, ScoreAgreement> Dimensions { get; init; }

    /// <summary>is_hallucination.</summary>
    public required HallucinationAgreement IsHallucination { get; init; }

    /// <summary>True when at least one dimension had labels and none failed.</summary>
    public required bool Passed { get; init; }
}
