namespace Vigil.Drift;

/// <summary>Per-dimension Kolmogorov–Smirnov drift between two embedding sets.</summary>
public sealed record KsDriftResult
{
    /// <summary>True when at least one dimension drifts after the correction (a family-wise test at level alpha for Bonferroni).</summary>
    public required bool IsDrifting { get; init; }

    /// <summary>By the smallest corrected p-value: warning below alpha, critical below alpha/10.</summary>
    public required DriftSeverity Severity { get; init; }

    /// <summary>The raw two-sample KS p-value of each dimension, in order.</summary>
    public required IReadOnlyList<double> PValues { get; init; }

    /// <summary>The p-values after <see cref="Correction"/>, in order.</summary>
    public required IReadOnlyList<double> AdjustedPValues { get; init; }

    /// <summary>How many dimensions have a corrected p-value below alpha.</summary>
    public required int DriftingDimensions { get; init; }

    /// <summary>Which dimensions (0-based) have a corrected p-value below alpha.</summary>
    public required IReadOnlyList<int> DriftingDimensionIndices { get; init; }

    /// <summary>The number of dimensions tested.</summary>
    public required int TotalDimensions { get; init; }

    /// <summary>The share of drifting dimensions, 0..1.</summary>
    public required double DriftRatio { get; init; }

    /// <summary>The Bonferroni-adjusted smallest p-value, min(p)·dimensions clipped to 1 (the contract's field, whatever the correction).</summary>
    public required double MinPValue { get; init; }

    /// <summary>The correction used for <see cref="AdjustedPValues"/> and the decision.</summary>
    public required PValueCorrection Correction { get; init; }

    /// <summary>The level of the test.</summary>
    public required double Alpha { get; init; }
}
