using System.Runtime.CompilerServices;

namespace Vigil.Drift;

/// <summary>
/// The exact null distribution of the two-sample Kolmogorov–Smirnov statistic, as scipy 1.10's
/// <c>_compute_prob_outside_square</c> (n1 == n2) and <c>_compute_prob_inside_method</c> (lattice paths, Hodges 1958),
/// with the same rescaling: a column is brought down to about 2^800 when its last entry passes 2^900, and the
/// division by the binomial coefficient keeps its value above 2^-128, the exponent carried separately.
/// </summary>
internal static class KsExactProbability
{
    private static readonly double Scale900 = Math.ScaleB(1.0, 900);
    private static readonly double TwoToMinus128 = Math.ScaleB(1.0, -128);

    /// <summary>Pr(D(n,n) ≥ h/n): the share of lattice paths that leave the band |x − y| &lt; h.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double OutsideSquare(long n, long h)
    {
        // P = 2 * A0 * (1 - A1*(1 - A2*(1 - ...))), Horner-like to avoid subtractive cancellation.
        var p = 0.0;
        var k = (long)Math.Floor((double)n / h);
        while (k >= 0)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++)
            {
                p1 = (n - (k * h) - j) * p1 / (n + (k * h) + j + 1);
            }

            p = p1 * (1.0 - p);
            k--;
        }

        return 2 * p;
    }

    /// <summary>
    /// The share of lattice paths from (0, 0) to (m, n) that stay strictly inside |x/m − y/n| &lt; h / lcm(m, n);
    /// <paramref name="g"/> is gcd(m, n).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double InsideMethod(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        long minj = 0;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = (int)Math.Min((2 * maxj) + 2, n + 1);
        var a = new double[lenA];
        for (var j = minj; j < maxj; j++)
        {
            a[j] = 1;
        }

        var expnt = 0;
        for (long i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)((ng * i) - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)((ng * i) + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 0;
            }

            // A[0:maxj-minj] = cumsum(A[minj-lastminj : maxj-lastminj]); the reads run ahead of the writes.
            var shift = (int)(minj - lastminj);
            var len = (int)(maxj - minj);
            var sum = 0.0;
            for (var t = 0; t < len; t++)
            {
                var src = t + shift;
                sum += src < lenA ? a[src] : 0.0;
                a[t] = sum;
            }

            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                var end = (int)Math.Min(lenA, len + (lastlen - curlen));
                Array.Clear(a, len, end - len);
            }

            // frexp's exponent passes 900 exactly when the value reaches 2^900; test that first, it is cheaper.
            if (Math.Abs(a[len - 1]) >= Scale900 && Frexp(a[len - 1]).Exponent is var valexpt && valexpt > 900)
            {
                valexpt -= 800;
                for (var t = 0; t < lenA; t++)
                {
                    a[t] = Math.ScaleB(a[t], -valexpt);
                }

                expnt += valexpt;
            }
        }

        var val = a[(int)(maxj - minj - 1)];
        for (long i = 1; i <= n; i++)
        {
            val = val * i / (m + i);
            if (Math.Abs(val) < TwoToMinus128 && Frexp(val).Exponent is var valexpt && valexpt < -128)
            {
                val = Math.ScaleB(val, -valexpt);
                expnt += valexpt;
            }
        }

        return Math.ScaleB(val, expnt);
    }

    /// <summary>C's frexp: value = mantissa · 2^exponent with 0.5 ≤ |mantissa| &lt; 1 (0, infinity and NaN give exponent 0).</summary>
    internal static (double Mantissa, int Exponent) Frexp(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return (value, 0);
        }

        var exponent = Math.ILogB(value) + 1;
        return (Math.ScaleB(value, -exponent), exponent);
    }
}
