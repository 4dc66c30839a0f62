using System.ComponentModel.DataAnnotations;

namespace Vigil.Drift;

/// <summary>How embedding drift is tested and judged. Bound from <c>Vigil:Drift</c>.</summary>
public sealed class DriftOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Drift";

    /// <summary>
    /// The level of the drift tests (KS, MMD): drift when p &lt; alpha; critical when p &lt; alpha/10. Default 0.05.
    /// </summary>
    [Range(1e-9, 0.5)]
    public double Alpha { get; set; } = 0.05;

    /// <summary>The multiple-testing correction of the per-dimension KS p-values. Default Bonferroni.</summary>
    public PValueCorrection Correction { get; set; } = PValueCorrection.Bonferroni;

    /// <summary>The permutations of the MMD test. Its p-value cannot go below 1/(permutations + 1). Default 100.</summary>
    [Range(1, 1_000_000)]
    public int Permutations { get; set; } = 100;

    /// <summary>The seed of the MMD test's permutations and subsampling: the same seed gives the same answer. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// The MMD test uses at most this many vectors of each set, drawn without replacement with <see cref="Seed"/>
    /// (its cost grows with the square of the pooled size). Default 1000.
    /// </summary>
    [Range(2, 4000)]
    public int MmdMaxSamples { get; set; } = 1000;

    /// <summary>Cosine distance of the centroids above which there is drift (warning). Default 0.05 (the seed's).</summary>
    [Range(0.0, 2.0)]
    public double CosineWarning { get; set; } = 0.05;

    /// <summary>Cosine distance of the centroids above which the drift is critical. Default 0.1 (the seed's).</summary>
    [Range(0.0, 2.0)]
    public double CosineCritical { get; set; } = 0.1;

    /// <summary>
    /// Euclidean distance of the centroids, relative to the reference's spread (its RMS distance to its centroid),
    /// above which there is drift (warning). Default 0.25: the centroid moved a quarter of the typical distance of a
    /// reference vector from it — in effect-size terms between Cohen's small (0.2) and medium (0.5) shift.
    /// </summary>
    [Range(0.0, 100.0)]
    public double EuclideanWarning { get; set; } = 0.25;

    /// <summary>Relative Euclidean distance of the centroids above which the drift is critical. Default 0.5.</summary>
    [Range(0.0, 100.0)]
    public double EuclideanCritical { get; set; } = 0.5;
}
