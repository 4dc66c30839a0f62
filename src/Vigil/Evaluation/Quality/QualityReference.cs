namespace Vigil.Evaluation.Quality;

/// <summary>A frozen reference of one dimension's scores: what "normal" quality was.</summary>
/// <param name="Count">How many scores it summarises (at least 2).</param>
/// <param name="Mean">Their mean.</param>
/// <param name="StandardDeviation">Their sample standard deviation (n − 1 denominator).</param>
public sealed record QualityReference(long Count, double Mean, double StandardDeviation)
{
    /// <summary>Throws when the reference cannot be tested against.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 scores, or a mean or deviation that is not a finite number (a negative deviation).</exception>
    public void Validate()
    {
        if (Count < 2)
        {
            throw new ArgumentException($"A reference needs at least 2 scores, not {Count}.", nameof(Count));
        }

        if (!double.IsFinite(Mean))
        {
            throw new ArgumentException("The reference mean must be a finite number.", nameof(Mean));
        }

        if (!double.IsFinite(StandardDeviation) || StandardDeviation < 0)
        {
            throw new ArgumentException("The reference standard deviation must be a finite number ≥ 0.", nameof(StandardDeviation));
        }
    }
}
