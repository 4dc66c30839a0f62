namespace Vigil.Drift;

/// <summary>
/// The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, Pr(D_n &gt; x): scipy 1.10's
/// <c>kstwo.sf(x, n)</c>, i.e. <c>_kolmogn(n, x, cdf=False)</c> in scipy/stats/_ksstats.py, after Simard and L'Ecuyer (2011).
/// Every branch of it is here:
/// <list type="bullet">
/// <item>x ≤ 0 → 1, x ≥ 1 → 0; n·x ≤ 1: Ruben–Gambino (1 for n·x ≤ 0.5, else n!/nⁿ·(2nx−1)ⁿ, by product for n ≤ 140 and Stirling above);</item>
/// <item>n·x ≥ n − 1: Ruben–Gambino 2(1 − x)ⁿ; x ≥ 0.5: exactly 2·smirnov(n, x);</item>
/// <item>n ≤ 140: n·x² ≤ 0.754693 Durbin's matrix (Marsaglia–Tsang–Wang), ≤ 4 Pomeranz's recursion, else 2·smirnov(n, x);</item>
/// <item>n &gt; 140: n·x² ≥ 370 → 0, ≥ 2.2 → 2·smirnov(n, x), else 1 − CDF with the CDF by Durbin's matrix when
/// n ≤ 100 000 and n·x^1.5 ≤ 1.4, by Pelz–Good otherwise.</item>
/// </list>
/// Differences from scipy, all below its own rounding: scipy's 2^±128 rescaling promotes the Durbin and Pomeranz
/// intermediates to x87 long double; here they stay double, and the running power of Durbin's matrix is rescaled too
/// so it cannot overflow. <c>smirnov(n, x)</c> (one-sided, Birnbaum–Tingey) is summed term by term in log space
/// rather than by cephes' code; the sum is exact up to rounding, as cephes' is.
/// </summary>
internal static class KolmogorovDistribution
{
    private const int E128 = 128;
    private const double MinLog = -708;
    private static readonly double Ep128 = Math.ScaleB(1.0, E128);
    private static readonly double Em128 = Math.ScaleB(1.0, -E128);
    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private static readonly double Sqrt3 = Math.Sqrt(3);
    private static readonly double PiSquared = Math.PI * Math.PI;
    private static readonly double PiFour = Math.Pow(Math.PI, 4);
    private static readonly double PiSix = Math.Pow(Math.PI, 6);

    // B_{2j}/(2j)/(2j-1) for j = 8..1 (scipy's _STIRLING_COEFFS, from _loggamma.pxd).
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>Pr(D_n &gt; x) for an integer <paramref name="n"/> ≥ 1.</summary>
    public static double Sf(double n, double x)
    {
        if (double.IsNaN(n) || double.IsNaN(x) || n <= 0 || Math.Floor(n) != n)
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        var t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5)
            {
                return 1.0;
            }

            double prob;
            if (n <= 140)
            {
                prob = 1.0;
                var step = 2 * t - 1;
                for (var i = 1; i <= (int)n; i++)
                {
                    prob *= i * (1.0 / n) * step;
                }
            }
            else
            {
                prob = Math.Exp(LogNFactorialDivNPowN(n) + (n * Math.Log((2 * t) - 1)));
            }

            return Clip(1.0 - prob);
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2 * Smirnov((long)n, x));
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
            {
                return Clip(1.0 - DurbinCdf((int)n, x));
            }

            if (nxSquared <= 4)
            {
                return Clip(1.0 - PomeranzCdf((int)n, x));
            }

            return Clip(2 * Smirnov((long)n, x));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * Smirnov((long)n, x));
        }

        var cdf = n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4
            ? DurbinCdf((int)n, x)
            : PelzGoodCdf(n, x);
        return Clip(1.0 - cdf);
    }

    /// <summary>log(n! / nⁿ) by Stirling's series with n·log(n) taken out (scipy's _log_nfactorial_div_n_pow_n).</summary>
    internal static double LogNFactorialDivNPowN(double n)
    {
        var rn = 1.0 / n;
        return (Math.Log(n) / 2) - n + (Log2Pi / 2) + (rn * PolyVal(StirlingCoefficients, rn / n));
    }

    /// <summary>Pr(D_n ≤ d) by Durbin's matrix, as Marsaglia, Tsang and Wang compute it (scipy's _kolmogn_DMTW).</summary>
    internal static double DurbinCdf(int n, double d)
    {
        if (d >= 1.0)
        {
            return 1.0;
        }

        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;

        var v = new double[m];
        var w = new double[m];
        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }

        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * fac;

        var matrix = new double[m * m];
        for (var i = 1; i < m; i++)
        {
            // H[i-1:, i] = w[:m-i+1]
            for (var r = i - 1; r < m; r++)
            {
                matrix[(r * m) + i] = w[r - (i - 1)];
            }
        }

        for (var r = 0; r < m; r++)
        {
            matrix[r * m] = v[r];
        }

        for (var c = 0; c < m; c++)
        {
            matrix[((m - 1) * m) + c] = v[m - 1 - c];
        }

        var power = new double[m * m];
        for (var r = 0; r < m; r++)
        {
            power[(r * m) + r] = 1.0;
        }

        var scratch = new double[m * m];
        var nn = n;
        var expnt = 0;
        var matrixExpnt = 0;
        var kk = ((k - 1) * m) + (k - 1);
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                Multiply(power, matrix, scratch, m);
                (power, scratch) = (scratch, power);
                expnt += matrixExpnt;
                if (Math.Abs(power[kk]) > Ep128)
                {
                    Scale(power, Em128);
                    expnt += E128;
                }
            }

            Multiply(matrix, matrix, scratch, m);
            (matrix, scratch) = (scratch, matrix);
            matrixExpnt *= 2;
            if (Math.Abs(matrix[kk]) > Ep128)
            {
                Scale(matrix, Em128);
                matrixExpnt += E128;
            }

            nn /= 2;
        }

        var p = power[kk];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < Em128)
            {
                p *= Ep128;
                expnt -= E128;
            }
        }

        if (expnt != 0)
        {
            p = Math.ScaleB(p, expnt);
        }

        return Clip(p);
    }

    /// <summary>Pr(D_n ≤ x) by Pomeranz's recursion (scipy's _kolmogn_Pomeranz).</summary>
    internal static double PomeranzCdf(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = 1.0 * (t - ll);
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var npwrs = 2 * (ll + 1);
        var gpower = new double[npwrs];
        var twogpower = new double[npwrs];
        var onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        var expnt = 0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - (2 * g)) / n;
        for (var k = 1; k < npwrs; k++)
        {
            gpower[k] = gpower[k - 1] * gOverN / k;
            twogpower[k] = twogpower[k - 1] * twoGOverN / k;
            onem2gpower[k] = onem2gpower[k - 1] * oneMinusTwoGOverN / k;
        }

        var v0 = new double[npwrs];
        var v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0, v1s = 0;
        var (j1, _) = PomeranzInterval(0, n, ll, ceilf, roundf);
        for (var i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0s, v1s) = (v1s, v0s);
            Array.Clear(v1);
            (j1, var j2) = PomeranzInterval(i, n, ll, ceilf, roundf);
            var pwrs = i == 1 || i == (2 * n) + 1 ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
            var ln2 = j2 - k1 + 1;
            if (ln2 > 0)
            {
                // conv = np.convolve(V0[k1-V0s : k1-V0s+ln2], pwrs[:ln2]); V1[:len] = conv[j1-k1 : j1-k1+len]
                var start = k1 - v0s;
                var aLen = Math.Max(0, Math.Min(ln2, npwrs - start));
                var bLen = Math.Min(ln2, npwrs);
                var convStart = j1 - k1;
                var convLen = j2 - j1 + 1;
                var max = double.NegativeInfinity;
                for (var c = 0; c < convLen; c++)
                {
                    var idx = convStart + c;
                    var sum = 0.0;
                    var lo = Math.Max(0, idx - bLen + 1);
                    var hi = Math.Min(idx, aLen - 1);
                    for (var p = lo; p <= hi; p++)
                    {
                        sum += v0[start + p] * pwrs[idx - p];
                    }

                    v1[c] = sum;
                    max = Math.Max(max, sum);
                }

                for (var c = convLen; c < npwrs; c++)
                {
                    max = Math.Max(max, v1[c]);
                }

                if (max > 0 && max < Em128)
                {
                    Scale(v1, Ep128);
                    expnt -= E128;
                }

                v1s = v0s + j1 - k1;
            }
        }

        var ans = v1[n - v1s];
        for (var k = 1; k <= n; k++)
        {
            if (Math.Abs(ans) > Ep128)
            {
                ans *= Em128;
                expnt += E128;
            }

            ans *= k;
        }

        if (expnt != 0)
        {
            ans = Math.ScaleB(ans, expnt);
        }

        return Clip(ans);
    }

    /// <summary>The Pelz–Good approximation of Pr(D_n ≤ x), 0 &lt; x &lt; 1 (scipy's _kolmogn_PelzGood).</summary>
    internal static double PelzGoodCdf(double n, double x)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        var z = Math.Sqrt(n) * x;
        double zsquared = z * z, zthree = Math.Pow(z, 3), zfour = Math.Pow(z, 4), zsix = Math.Pow(z, 6);
        var qlog = -PiSquared / 8 / zsquared;
        if (qlog < MinLog)
        {
            return 0.0;
        }

        var q = Math.Exp(qlog);

        var k1a = -zsquared;
        var k1b = PiSquared / 4;
        var k2a = (6 * zsix) + (2 * zfour);
        var k2b = ((2 * zfour) - (5 * zsquared)) * PiSquared / 4;
        var k2c = PiFour * (1 - (2 * zsquared)) / 16;
        var k3d = PiSix * (5 - (30 * zsquared)) / 64;
        var k3c = PiFour * ((-60 * zsquared) + (212 * zfour)) / 16;
        var k3b = PiSquared * ((135 * zfour) - (96 * zsix)) / 4;
        var k3a = (-30 * zsix) - (90 * Math.Pow(z, 8));

        double k0 = 0, kOne = 0, kTwo = 0, kThree = 0;
        var maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxk; k > 0; k--)
        {
            double mm = (2 * k) - 1;
            double msquared = mm * mm, mfour = msquared * msquared, msix = mfour * msquared;
            var qpower = Math.Pow(q, 8 * k);
            k0 = (k0 * qpower) + 1.0;
            kOne = (kOne * qpower) + (k1a + (k1b * msquared));
            kTwo = (kTwo * qpower) + (k2a + (k2b * msquared) + (k2c * mfour));
            kThree = (kThree * qpower) + (k3a + (k3b * msquared) + (k3c * mfour) + (k3d * msix));
        }

        k0 = k0 * q * Sqrt2Pi / z;
        kOne = kOne * q * Sqrt2Pi / (6 * zfour);
        kTwo = kTwo * q * Sqrt2Pi / (72 * Math.Pow(z, 7));
        kThree = kThree * q * Sqrt2Pi / (6480 * Math.Pow(z, 10));

        q = Math.Exp(-PiSquared / 2 / zsquared);
        var sqrt3z = Sqrt3 * z;
        double k2extra = 0, k3extra = 0;
        for (var k = maxk; k > 0; k--)
        {
            double ksquared = (double)k * k;
            var qpwer = Math.Pow(q, ksquared);
            var kspi = Math.PI * k;
            k2extra += ksquared * qpwer;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
        }

        kTwo += k2extra * (PiSquared * Sqrt2Pi / (-36 * zthree));
        kThree += k3extra * (PiSquared * Sqrt2Pi / (216 * zsix));
        kOne /= Math.Pow(n, 0.5);
        kTwo /= n;
        kThree /= Math.Pow(n, 1.5);
        return k0 + kOne + kTwo + kThree;
    }

    /// <summary>
    /// The one-sided Smirnov survival function Pr(D_n⁺ ≥ x) by the Birnbaum–Tingey sum
    /// x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v), every term positive, in log space.
    /// </summary>
    internal static double Smirnov(long n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
        {
            return double.NaN;
        }

        if (x == 0.0)
        {
            return 1.0;
        }

        var nn = (long)Math.Floor(n * (1.0 - x));
        var logNFactorial = LogFactorial(n);
        var logX = Math.Log(x);
        var p = 0.0;
        for (long v = 0; v <= nn; v++)
        {
            var evn = x + ((double)v / n);
            var omevn = 1.0 - evn;
            if (omevn <= 0.0)
            {
                continue;
            }

            var logTerm = logNFactorial - LogFactorial(v) - LogFactorial(n - v)
                + logX + ((v - 1) * Math.Log(evn)) + ((n - v) * Math.Log(omevn));
            if (logTerm > -745)
            {
                p += Math.Exp(logTerm);
            }
        }

        return p;
    }

    /// <summary>log(k!): exact products below 30, Stirling's series above.</summary>
    internal static double LogFactorial(long k)
    {
        if (k < 30)
        {
            var product = 1.0;
            for (var i = 2; i <= k; i++)
            {
                product *= i;
            }

            return Math.Log(product);
        }

        // log k! = k log k + log(k!/k^k)
        double kd = k;
        return (kd * Math.Log(kd)) + LogNFactorialDivNPowN(kd);
    }

    private static (int J1, int J2) PomeranzInterval(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            var ip1div2 = (i + 1) / 2;
            var ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0)
            {
                if (ip1div2 == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    private static void Multiply(double[] left, double[] right, double[] result, int m)
    {
        Array.Clear(result);
        for (var r = 0; r < m; r++)
        {
            for (var k = 0; k < m; k++)
            {
                var l = left[(r * m) + k];
                if (l == 0)
                {
                    continue;
                }

                for (var c = 0; c < m; c++)
                {
                    result[(r * m) + c] += l * right[(k * m) + c];
                }
            }
        }
    }

    private static void Scale(double[] values, double factor)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    private static double PolyVal(double[] coefficients, double x)
    {
        var result = 0.0;
        foreach (var c in coefficients)
        {
            result = (result * x) + c;
        }

        return result;
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);
}
