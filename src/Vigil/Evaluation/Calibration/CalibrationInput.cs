using Vigil.Records;

namespace Vigil.Evaluation.Calibration;

/// <summary>The two calibration files, read and joined on trace_id.</summary>
public sealed record CalibrationInput
{
    /// <summary>Matched (judge, human) pairs, in the order of the human labels file.</summary>
    public required IReadOnlyList<(EvaluationRecord Judge, HumanLabel Human)> Pairs { get; init; }

    /// <summary>Distinct evaluation trace_ids without a human label.</summary>
    public required long UnmatchedEvaluations { get; init; }

    /// <summary>Distinct human-label trace_ids without an evaluation.</summary>
    public required long UnmatchedHuman { get; init; }

    /// <summary>What was read from the evaluations file.</summary>
    public required CalibrationFileStats Evaluations { get; init; }

    /// <summary>What was read from the human labels file.</summary>
    public required CalibrationFileStats Human { get; init; }
}
