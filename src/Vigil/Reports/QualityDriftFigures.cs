using Vigil.Drift;
using Vigil.Evaluation.Quality;

namespace Vigil.Reports;

/// <summary>Where one dimension's quality drift detector stands (seed §6: z-score of the recent window against the reference).</summary>
public sealed record QualityDriftFigures(
    bool IsDrifting,
    DriftSeverity Severity,
    double? ZScore,
    double? PValue,
    double? ReferenceMean,
    double? DetectionMean,
    long ReferenceCount,
    int DetectionCount,
    bool Ready)
{
    /// <summary>The figures of a detector's state.</summary>
    public static QualityDriftFigures Of(QualityDriftState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.IsDrifting, state.Severity, state.ZScore, state.PValue, state.ReferenceMean, state.DetectionMean,
            state.ReferenceCount, state.DetectionCount, state.IsReady);
    }
}
