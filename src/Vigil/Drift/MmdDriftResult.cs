namespace Vigil.Drift;

/// <summary>Maximum mean discrepancy drift between two embedding sets, with a permutation test.</summary>
public sealed record MmdDriftResult
{
    /// <summary>True when the permutation p-value is below alpha.</summary>
    public required bool IsDrifting { get; init; }

    /// <summary>Warning when p &lt; alpha, critical when p &lt; alpha/10, or, when there are too few permutations to go that low, when no permutation reached the observed MMD².</summary>
    public required DriftSeverity Severity { get; init; }

    /// <summary>The unbiased estimate of MMD² (it can be slightly negative when there is no drift).</summary>
    public required double Mmd2 { get; init; }

    /// <summary>(#permutations with MMD² ≥ the observed + 1) / (permutations + 1).</summary>
    public required double PValue { get; init; }

    /// <summary>σ of the RBF kernel exp(−‖x − y‖² / (2σ²)): the median distance between distinct pooled vectors.</summary>
    public required double Bandwidth { get; init; }

    /// <summary>The number of permutations.</summary>
    public required int Permutations { get; init; }

    /// <summary>The seed of the permutations and of the subsampling.</summary>
    public required int Seed { get; init; }

    /// <summary>Reference vectors used (at most <see cref="DriftOptions.MmdMaxSamples"/>).</summary>
    public required int ReferenceSamples { get; init; }

    /// <summary>Current vectors used (at most <see cref="DriftOptions.MmdMaxSamples"/>).</summary>
    public required int CurrentSamples { get; init; }

    /// <summary>The level of the test.</summary>
    public required double Alpha { get; init; }
}
