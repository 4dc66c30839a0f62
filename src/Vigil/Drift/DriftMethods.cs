namespace Vigil.Drift;

/// <summary>The embedding drift methods to run.</summary>
[Flags]
public enum DriftMethods
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Per-dimension two-sample Kolmogorov–Smirnov tests with a multiple-testing correction.</summary>
    Ks = 1,

    /// <summary>Unbiased MMD² with an RBF kernel and a permutation test.</summary>
    Mmd = 2,

    /// <summary>Cosine distance between the centroids (the seed's default).</summary>
    Cosine = 4,

    /// <summary>Euclidean distance between the centroids, judged relative to the reference's spread.</summary>
    Euclidean = 8,

    /// <summary>All of them.</summary>
    All = Ks | Mmd | Cosine | Euclidean,
}
