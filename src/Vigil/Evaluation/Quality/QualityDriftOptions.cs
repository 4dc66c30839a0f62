using System.ComponentModel.DataAnnotations;

namespace Vigil.Evaluation.Quality;

/// <summary>How quality drift is tested and judged. Bound from <c>Vigil:QualityDrift</c>.</summary>
public sealed class QualityDriftOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:QualityDrift";

    /// <summary>
    /// The scores of the reference window: the first this many scores, then frozen (seed pitfall 5: a baseline of at
    /// least 1000 samples). Default 1000.
    /// </summary>
    [Range(30, 100_000_000)]
    public int ReferenceSize { get; set; } = 1000;

    /// <summary>The scores of the detection window: the most recent this many after the reference (seed pitfall 5: at least 100). Default 100.</summary>
    [Range(10, 1_000_000)]
    public int DetectionSize { get; set; } = 100;

    /// <summary>The level of the two-sided z-test: no drift unless p &lt; alpha. Default 0.05.</summary>
    [Range(1e-12, 0.5)]
    public double Alpha { get; set; } = 0.05;

    /// <summary>|z| above which a significant drift is a warning (the seed's band). Default 2.0.</summary>
    [Range(0.0, 100.0)]
    public double WarningZ { get; set; } = 2.0;

    /// <summary>|z| above which a significant drift is critical (the seed's band). Default 3.0.</summary>
    [Range(0.0, 100.0)]
    public double CriticalZ { get; set; } = 3.0;

    /// <summary>Throws when a value is out of its range or the bands are out of order.</summary>
    /// <exception cref="ArgumentException">A value is invalid; the message names it.</exception>
    public void Validate()
    {
        if (ReferenceSize is < 30 or > 100_000_000)
        {
            throw new ArgumentException($"{nameof(ReferenceSize)} must be from 30 to 100000000, not {ReferenceSize}.", nameof(ReferenceSize));
        }

        if (DetectionSize is < 10 or > 1_000_000)
        {
            throw new ArgumentException($"{nameof(DetectionSize)} must be from 10 to 1000000, not {DetectionSize}.", nameof(DetectionSize));
        }

        if (!(Alpha is >= 1e-12 and <= 0.5))
        {
            throw new ArgumentException($"{nameof(Alpha)} must be from 1e-12 to 0.5, not {Alpha}.", nameof(Alpha));
        }

        if (!(WarningZ is >= 0 and <= 100) || !(CriticalZ is >= 0 and <= 100) || CriticalZ < WarningZ)
        {
            throw new ArgumentException($"{nameof(WarningZ)} and {nameof(CriticalZ)} must be from 0 to 100 with {nameof(WarningZ)} ≤ {nameof(CriticalZ)}, not {WarningZ} and {CriticalZ}.", nameof(CriticalZ));
        }
    }
}
