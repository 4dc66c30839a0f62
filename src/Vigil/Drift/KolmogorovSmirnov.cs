namespace Vigil.Drift;

/// <summary>
/// The two-sample Kolmogorov–Smirnov test, computed as <c>scipy.stats.ks_2samp(a, b, alternative='two-sided',
/// method='auto')</c> does in scipy 1.10: the statistic from the sorted empirical CDFs (ties counted with
/// searchsorted side='right'); the exact p-value when both samples have at most 10 000 values, else the asymptotic
/// <c>kstwo.sf(d, round(n1·n2/(n1+n2)))</c>; an exact computation that overflows or leaves [0, 1] falls back to the
/// asymptotic one. See <see cref="KsExactProbability"/> and <see cref="KolmogorovDistribution"/> for the branches.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>Above this sample size the p-value is asymptotic (scipy's MAX_AUTO_N).</summary>
    public const int MaxExactSize = 10_000;

    /// <summary>Tests whether <paramref name="a"/> and <paramref name="b"/> come from the same continuous distribution.</summary>
    /// <exception cref="ArgumentException">A sample is empty or holds NaN.</exception>
    public static KsTestResult TwoSample(double[] a, double[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var sortedA = (double[])a.Clone();
        var sortedB = (double[])b.Clone();
        Array.Sort(sortedA);
        Array.Sort(sortedB);
        return TwoSampleSorted(sortedA, sortedB);
    }

    /// <summary>As <see cref="TwoSample"/>, for samples already sorted ascending (not checked).</summary>
    internal static KsTestResult TwoSampleSorted(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            throw new ArgumentException("Both samples must hold at least one value.");
        }

        if (double.IsNaN(a[^1]) || double.IsNaN(b[^1]) || double.IsNaN(a[0]) || double.IsNaN(b[0]))
        {
            throw new ArgumentException("The samples must not hold NaN.");
        }

        var d = Statistic(a, b);
        var n1 = a.Length;
        var n2 = b.Length;
        if (Math.Max(n1, n2) <= MaxExactSize)
        {
            var g = Gcd(n1, n2);
            long lcm = (long)(n1 / g) * n2;
            var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
            d = h * 1.0 / lcm;
            if (h == 0)
            {
                return new KsTestResult(d, 1.0, Exact: true);
            }

            var prob = n1 == n2
                ? KsExactProbability.OutsideSquare(n1, h)
                : 1 - KsExactProbability.InsideMethod(n1, n2, g, h);
            if (double.IsFinite(prob) && prob is >= 0 and <= 1)
            {
                return new KsTestResult(d, prob, Exact: true);
            }
        }

        // scipy: m, n = sorted([float(n1), float(n2)], reverse=True); en = m * n / (m + n)
        double m = Math.Max(n1, n2);
        double n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        var p = KolmogorovDistribution.Sf(Math.Round(en, MidpointRounding.ToEven), d);
        return new KsTestResult(d, Math.Clamp(p, 0.0, 1.0), Exact: false);
    }

    /// <summary>max |F1(x) − F2(x)| over the pooled values, with F(x) = #(values ≤ x) / n as numpy's searchsorted side='right'.</summary>
    private static double Statistic(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n1 = a.Length;
        var n2 = b.Length;
        double maxDiff = double.NegativeInfinity;
        double minDiff = double.PositiveInfinity;
        int i = 0, j = 0;
        while (i < n1 || j < n2)
        {
            // The next pooled value; consume every copy of it from both samples, then read both CDFs there.
            var v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= v)
            {
                i++;
            }

            while (j < n2 && b[j] <= v)
            {
                j++;
            }

            var diff = ((double)i / n1) - ((double)j / n2);
            maxDiff = Math.Max(maxDiff, diff);
            minDiff = Math.Min(minDiff, diff);
        }

        var minS = Math.Clamp(-minDiff, 0.0, 1.0);
        return minS > maxDiff ? minS : maxDiff;
    }

    private static int Gcd(int x, int y)
    {
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        return x;
    }
}
