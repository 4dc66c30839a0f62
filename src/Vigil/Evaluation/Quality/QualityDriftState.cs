using Vigil.Drift;

namespace Vigil.Evaluation.Quality;

/// <summary>Where one quality detector stands: its two windows and, once both are full, the test's verdict.</summary>
public sealed record QualityDriftState
{
    /// <summary>Scores in the reference window (it stops growing when full).</summary>
    public required long ReferenceCount { get; init; }

    /// <summary>The size the reference window fills to (<see cref="QualityDriftOptions.ReferenceSize"/>, or a pinned reference's count).</summary>
    public required long ReferenceSize { get; init; }

    /// <summary>The reference mean; null before the first score.</summary>
    public double? ReferenceMean { get; init; }

    /// <summary>The reference's sample standard deviation; null before the second score.</summary>
    public double? ReferenceStandardDeviation { get; init; }

    /// <summary>Scores in the detection window (at most <see cref="DetectionSize"/>).</summary>
    public required int DetectionCount { get; init; }

    /// <summary>The size of the detection window.</summary>
    public required int DetectionSize { get; init; }

    /// <summary>The detection window's mean; null while it is empty.</summary>
    public double? DetectionMean { get; init; }

    /// <summary>True when both windows are full: only then is there a z-score.</summary>
    public required bool IsReady { get; init; }

    /// <summary>The standard error of (detection mean − reference mean); null until ready.</summary>
    public double? StandardError { get; init; }

    /// <summary>(detection mean − reference mean) / standard error; null until ready.</summary>
    public double? ZScore { get; init; }

    /// <summary>The two-sided normal p-value of <see cref="ZScore"/>; null until ready.</summary>
    public double? PValue { get; init; }

    /// <summary>True when p &lt; alpha and |z| is above the warning band (see <see cref="QualityDriftDetector"/>).</summary>
    public required bool IsDrifting { get; init; }

    /// <summary>Normal unless drifting; then critical above the critical band, warning otherwise.</summary>
    public required DriftSeverity Severity { get; init; }

    /// <summary>Degrading when z &lt; 0, improving when z &gt; 0.</summary>
    public required QualityDriftDirection Direction { get; init; }

    /// <summary>The gauge value: |z|, or null until ready.</summary>
    public double? DriftScore => ZScore is { } z ? Math.Abs(z) : null;
}
