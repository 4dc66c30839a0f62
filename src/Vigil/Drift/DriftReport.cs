namespace Vigil.Drift;

/// <summary>The embedding drift of one set against another, one entry per method run (<c>vigil drift --format json</c>).</summary>
public sealed record DriftReport
{
    /// <summary>Cosine distance of the centroids, when run.</summary>
    public CosineDriftResult? Cosine { get; init; }

    /// <summary>Euclidean distance of the centroids, when run.</summary>
    public EuclideanDriftResult? Euclidean { get; init; }

    /// <summary>MMD² with its permutation test, when run.</summary>
    public MmdDriftResult? Mmd { get; init; }

    /// <summary>Per-dimension KS tests, when run.</summary>
    public KsDriftResult? Ks { get; init; }
}
