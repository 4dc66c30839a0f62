namespace Vigil.Drift;

/// <summary>Runs the chosen drift methods over two embedding sets (what <c>vigil drift</c> does).</summary>
public static class EmbeddingDriftAnalyzer
{
    /// <summary>Compares <paramref name="current"/> with <paramref name="reference"/> by every method in <paramref name="methods"/>.</summary>
    /// <exception cref="ArgumentException">The sets differ in dimension or are too small for a method (MMD needs 2 vectors a set).</exception>
    public static DriftReport Analyze(EmbeddingSet reference, EmbeddingSet current, DriftMethods methods, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        if (methods == DriftMethods.None)
        {
            throw new ArgumentException("Choose at least one method.", nameof(methods));
        }

        return new DriftReport
        {
            Cosine = methods.HasFlag(DriftMethods.Cosine) ? CentroidDrift.Cosine(reference, current, options) : null,
            Euclidean = methods.HasFlag(DriftMethods.Euclidean) ? CentroidDrift.Euclidean(reference, current, options) : null,
            Mmd = methods.HasFlag(DriftMethods.Mmd) ? MmdDrift.Detect(reference, current, options) : null,
            Ks = methods.HasFlag(DriftMethods.Ks) ? KsDrift.Detect(reference, current, options) : null,
        };
    }

    internal static void CheckComparable(EmbeddingSet reference, EmbeddingSet current, int minimum)
    {
        if (reference.Dimensions != current.Dimensions)
        {
            throw new ArgumentException(
                $"The reference has {reference.Dimensions} dimensions and the current set {current.Dimensions}; they must match.");
        }

        if (reference.Count < minimum || current.Count < minimum)
        {
            throw new ArgumentException(
                $"Each set needs at least {minimum} vector(s); the reference has {reference.Count} and the current set {current.Count}.");
        }
    }
}
