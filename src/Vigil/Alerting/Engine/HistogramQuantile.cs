namespace Vigil.Alerting.Engine;

/// <summary>
/// Prometheus's <c>histogram_quantile</c> over cumulative bucket counts (its <c>bucketQuantile</c>): the bucket where the
/// rank falls, interpolated linearly inside it; a rank in the +Inf bucket gives the highest finite bound.
/// </summary>
public static class HistogramQuantile
{
    /// <summary>
    /// The <paramref name="q"/>-quantile; NaN without observations.
    /// </summary>
    /// <param name="q">The quantile, 0..1.</param>
    /// <param name="bounds">The finite upper bounds, ascending.</param>
    /// <param name="cumulative">The cumulative count of each bound.</param>
    /// <param name="total">The count (the +Inf bucket).</param>
    public static double Of(double q, IReadOnlyList<double> bounds, ReadOnlySpan<double> cumulative, double total)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        if (double.IsNaN(q))
        {
            return double.NaN;
        }

        if (q < 0)
        {
            return double.NegativeInfinity;
        }

        if (q > 1)
        {
            return double.PositiveInfinity;
        }

        // Buckets with +Inf last; counts made monotonic as Prometheus's ensureMonotonic does.
        var n = bounds.Count + 1;
        Span<double> counts = n <= 64 ? stackalloc double[n] : new double[n];
        var max = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            var c = i < bounds.Count ? cumulative[i] : total;
            max = Math.Max(max, c);
            counts[i] = max;
        }

        if (n < 2)
        {
            return double.NaN;
        }

        var observations = counts[n - 1];
        if (observations == 0)
        {
            return double.NaN;
        }

        var rank = q * observations;
        var b = 0;
        while (b < n - 1 && counts[b] < rank)
        {
            b++;
        }

        if (b == n - 1)
        {
            return bounds[n - 2];
        }

        if (b == 0 && bounds[0] <= 0)
        {
            return bounds[0];
        }

        var bucketStart = 0.0;
        var bucketEnd = bounds[b];
        var count = counts[b];
        if (b > 0)
        {
            bucketStart = bounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }

        return bucketStart + ((bucketEnd - bucketStart) * (rank / count));
    }
}
