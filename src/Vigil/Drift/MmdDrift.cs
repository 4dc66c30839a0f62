namespace Vigil.Drift;

/// <summary>
/// Maximum mean discrepancy drift (the seed's <c>mmd</c>, tested as alibi-detect's MMDDrift does): the unbiased
/// estimate of MMD² with the RBF kernel k(x, y) = exp(−‖x − y‖² / (2σ²)), σ the median distance between distinct
/// vectors of the pooled sample (the median heuristic), and a permutation test:
/// p = (#{permutations with MMD² ≥ observed} + 1) / (permutations + 1), drift when p &lt; alpha.
/// The pooled kernel matrix is computed once; a permutation only re-sums it. Permutations (and the subsampling of
/// sets larger than <see cref="DriftOptions.MmdMaxSamples"/>) come from <see cref="Random"/> seeded with
/// <see cref="DriftOptions.Seed"/>, and every sum has a fixed order whatever the threads do, so the same seed gives
/// the same answer on every run (on another CPU a different SIMD width may change the last bits of MMD²).
/// If more than half of the pairs are identical vectors (median 0), σ is the mean of the non-zero distances; if all are, σ = 1.
/// </summary>
public static class MmdDrift
{
    private const int PermutationBatch = 64;

    /// <summary>Tests <paramref name="current"/> against <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">The sets differ in dimension or one has fewer than 2 vectors.</exception>
    public static MmdDriftResult Detect(EmbeddingSet reference, EmbeddingSet current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        EmbeddingDriftAnalyzer.CheckComparable(reference, current, minimum: 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Permutations);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MmdMaxSamples, 2);

#pragma warning disable CA5394 // Reproducible statistics, not security: the seeded generator is the point.
        var random = new Random(options.Seed);
#pragma warning restore CA5394
        var x = Subsample(reference, options.MmdMaxSamples, random);
        var y = Subsample(current, options.MmdMaxSamples, random);
        int n = x.Count, m = y.Count, count = n + m, dims = x.Dimensions;

        var pooled = new double[count * dims];
        x.Values.CopyTo(pooled);
        y.Values.CopyTo(pooled.AsSpan(n * dims));
        var kernel = Pairwise.SquaredDistanceMatrix(pooled, count, dims);
        var sigma = MedianHeuristic(kernel, count);
        var rowSums = new double[count];
        var gamma = 1.0 / (2 * sigma * sigma);
        for (var i = 0; i < count; i++)
        {
            var row = kernel.AsSpan(i * count, count);
            var sum = 0.0;
            for (var j = 0; j < count; j++)
            {
                row[j] = i == j ? 0.0 : Math.Exp(-row[j] * gamma);
                sum += row[j];
            }

            rowSums[i] = sum;
        }

        var total = rowSums.Sum();
        var statistic = new PermutationStatistic(kernel, rowSums, total, n, m);
        var mask = new double[count];
        mask.AsSpan(0, n).Fill(1.0);
        var observedValue = new double[1];
        statistic.Mmd2([mask], observedValue);
        var observed = observedValue[0];

        var atLeast = 0;
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        for (var done = 0; done < options.Permutations; done += PermutationBatch)
        {
            // Draw the batch's permutations in order from the one generator, then evaluate them together.
            var batch = Math.Min(PermutationBatch, options.Permutations - done);
            var masks = new double[batch][];
            for (var b = 0; b < batch; b++)
            {
                Shuffle(order, random);
                var permuted = new double[count];
                for (var i = 0; i < n; i++)
                {
                    permuted[order[i]] = 1.0;
                }

                masks[b] = permuted;
            }

            var values = new double[batch];
            statistic.Mmd2(masks, values);
            atLeast += values.Count(v => v >= observed);
        }

        var p = (atLeast + 1.0) / (options.Permutations + 1.0);
        return new MmdDriftResult
        {
            IsDrifting = p < options.Alpha,
            Severity = DriftSeverityRules.FromPValue(p, options.Alpha, 1.0 / (options.Permutations + 1.0)),
            Mmd2 = observed,
            PValue = p,
            Bandwidth = sigma,
            Permutations = options.Permutations,
            Seed = options.Seed,
            ReferenceSamples = n,
            CurrentSamples = m,
            Alpha = options.Alpha,
        };
    }

    /// <summary>σ = the median Euclidean distance over the distinct pairs (the mean of the two middle ones for an even count).</summary>
    internal static double MedianHeuristic(double[] squaredDistances, int count)
    {
        var pairs = new double[(long)count * (count - 1) / 2];
        long k = 0;
        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                pairs[k++] = squaredDistances[((long)i * count) + j];
            }
        }

        var middle = pairs.Length / 2;
        double median;
        if (pairs.Length % 2 == 1)
        {
            median = Math.Sqrt(Selection.Select(pairs, middle));
        }
        else
        {
            var lower = Selection.Select(pairs, middle - 1);
            // After selection everything right of middle-1 is ≥ it; the next order statistic is their minimum.
            var upper = double.PositiveInfinity;
            for (var i = middle; i < pairs.Length; i++)
            {
                upper = Math.Min(upper, pairs[i]);
            }

            median = (Math.Sqrt(lower) + Math.Sqrt(upper)) / 2;
        }

        if (median > 0)
        {
            return median;
        }

        double sum = 0;
        long positive = 0;
        foreach (var d2 in pairs)
        {
            if (d2 > 0)
            {
                sum += Math.Sqrt(d2);
                positive++;
            }
        }

        return positive > 0 ? sum / positive : 1.0;
    }

    private static EmbeddingSet Subsample(EmbeddingSet set, int max, Random random)
    {
        if (set.Count <= max)
        {
            return set;
        }

        var indices = new int[set.Count];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }

        for (var i = 0; i < max; i++)
        {
#pragma warning disable CA5394 // Reproducible sampling, not security.
            var j = random.Next(i, indices.Length);
#pragma warning restore CA5394
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        var chosen = indices[..max];
        Array.Sort(chosen);
        return set.Select(chosen);
    }

    private static void Shuffle(int[] order, Random random)
    {
        for (var i = order.Length - 1; i > 0; i--)
        {
#pragma warning disable CA5394 // Reproducible permutations, not security.
            var j = random.Next(i + 1);
#pragma warning restore CA5394
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
