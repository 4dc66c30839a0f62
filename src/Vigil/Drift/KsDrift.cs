namespace Vigil.Drift;

/// <summary>
/// Per-dimension two-sample Kolmogorov–Smirnov drift (the seed's <c>ks_test</c>, as in alibi-detect's KSDrift): one
/// test a dimension, the p-values corrected for the number of dimensions, drift when any corrected p-value is below alpha.
/// </summary>
public static class KsDrift
{
    /// <summary>Tests every dimension of <paramref name="current"/> against <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">The sets differ in dimension or one is empty.</exception>
    public static KsDriftResult Detect(EmbeddingSet reference, EmbeddingSet current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        EmbeddingDriftAnalyzer.CheckComparable(reference, current, minimum: 1);

        var dims = reference.Dimensions;
        var pValues = new double[dims];
        var referenceColumns = Transpose(reference);
        var currentColumns = Transpose(current);
        int n1 = reference.Count, n2 = current.Count;
        void TestDimension(int d)
        {
            var a = referenceColumns.AsSpan(d * n1, n1);
            var b = currentColumns.AsSpan(d * n2, n2);
            RadixSort.Sort(a);
            RadixSort.Sort(b);
            pValues[d] = KolmogorovSmirnov.TwoSampleSorted(a, b).PValue;
        }

        if ((long)dims * (n1 + n2) < 20_000 || dims == 1)
        {
            for (var d = 0; d < dims; d++)
            {
                TestDimension(d);
            }
        }
        else
        {
            // Each dimension is independent and written to its own slot: the answer does not depend on scheduling.
            Parallel.For(0, dims, TestDimension);
        }

        var adjusted = MultipleTesting.Adjust(pValues, options.Correction);
        var drifting = new List<int>();
        var minAdjusted = 1.0;
        for (var d = 0; d < dims; d++)
        {
            minAdjusted = Math.Min(minAdjusted, adjusted[d]);
            if (adjusted[d] < options.Alpha)
            {
                drifting.Add(d);
            }
        }

        return new KsDriftResult
        {
            IsDrifting = drifting.Count > 0,
            Severity = DriftSeverityRules.FromPValue(minAdjusted, options.Alpha),
            PValues = pValues,
            AdjustedPValues = adjusted,
            DriftingDimensions = drifting.Count,
            DriftingDimensionIndices = drifting,
            TotalDimensions = dims,
            DriftRatio = (double)drifting.Count / dims,
            MinPValue = Math.Min(1.0, pValues.Min() * dims),
            Correction = options.Correction,
            Alpha = options.Alpha,
        };
    }

    /// <summary>The set column-major: dimension d's values at [d·count, (d+1)·count).</summary>
    private static double[] Transpose(EmbeddingSet set)
    {
        var values = set.Values;
        int count = set.Count, dims = set.Dimensions;
        var columns = new double[values.Length];
        for (var i = 0; i < count; i++)
        {
            for (var d = 0; d < dims; d++)
            {
                columns[(d * count) + i] = values[(i * dims) + d];
            }
        }

        return columns;
    }
}
