using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Vigil.Drift;
using Xunit.Abstractions;

namespace Vigil.Tests.Drift;

public sealed class KolmogorovSmirnovTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in LoadCases())
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TwoSample_ScipyCase_MatchesScipy(string name)
    {
        var c = LoadCases().Single(x => x.Name == name);

        var result = KolmogorovSmirnov.TwoSample(c.A, c.B);

        Assert.True(Math.Abs(result.Statistic - c.Statistic) <= 1e-12, $"statistic {result.Statistic:R} vs scipy {c.Statistic:R}");
        Assert.True(Math.Abs(result.PValue - c.PValue) <= 1e-6, $"p {result.PValue:R} vs scipy {c.PValue:R}");
        output.WriteLine($"{name}: p error {Math.Abs(result.PValue - c.PValue):E3}, exact {result.Exact}");
    }

    [Fact]
    public void TwoSample_AllScipyCases_MaxPValueErrorIsTiny()
    {
        double worst = 0, worstStatistic = 0;
        foreach (var c in LoadCases())
        {
            var result = KolmogorovSmirnov.TwoSample(c.A, c.B);
            worst = Math.Max(worst, Math.Abs(result.PValue - c.PValue));
            worstStatistic = Math.Max(worstStatistic, Math.Abs(result.Statistic - c.Statistic));
        }

        output.WriteLine($"max |p - scipy p| over {LoadCases().Count} cases: {worst:E3}; max |statistic - scipy|: {worstStatistic:E3}");
        Assert.True(worst <= 1e-6, $"max p-value error {worst:E3}");
        Assert.True(worstStatistic <= 1e-12, $"max statistic error {worstStatistic:E3}");
    }

    [Fact]
    public void TwoSample_LargeSamples_UsesTheAsymptoticDistribution()
    {
        var c = LoadCases().Single(x => x.A.Length == 9000);

        var result = KolmogorovSmirnov.TwoSample(c.A, c.B);

        Assert.False(result.Exact);
    }

    [Fact]
    public void TwoSample_DoesNotReorderTheCallersArrays()
    {
        double[] a = [3, 1, 2];
        double[] b = [6, 5, 4];

        KolmogorovSmirnov.TwoSample(a, b);

        Assert.Equal([3.0, 1, 2], a);
        Assert.Equal([6.0, 5, 4], b);
    }

    [Fact]
    public void TwoSample_IdenticalSamples_StatisticZeroPValueOne()
    {
        double[] a = [1, 2, 2, 3];

        var result = KolmogorovSmirnov.TwoSample(a, a);

        Assert.Equal(0.0, result.Statistic);
        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void TwoSample_EmptyOrNaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [1.0]));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([double.NaN], [1.0]));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 6)]
    [InlineData(5, 5)]
    [InlineData(6, 9)]
    [InlineData(7, 7)]
    public void TwoSample_SmallSamples_ExactPValueEqualsEnumerationOfAllSplits(int n1, int n2)
    {
        // Under H0 every assignment of the ranks 1..n1+n2 to the first sample is equally likely.
        var pooled = Enumerable.Range(0, n1 + n2).Select(i => (double)i).ToArray();
        var random = new Random(n1 * 100 + n2);
        var observedA = pooled.OrderBy(_ => random.Next()).Take(n1).ToArray();
        var observedB = pooled.Except(observedA).ToArray();
        var observed = KolmogorovSmirnov.TwoSample(observedA, observedB);

        var atLeast = 0;
        var total = 0;
        foreach (var subset in Subsets(n1 + n2, n1))
        {
            var a = subset.Select(i => pooled[i]).ToArray();
            var b = pooled.Except(a).ToArray();
            var d = KolmogorovSmirnov.TwoSample(a, b).Statistic;
            total++;
            if (d >= observed.Statistic - 1e-12)
            {
                atLeast++;
            }
        }

        Assert.True(observed.Exact);
        Assert.Equal((double)atLeast / total, observed.PValue, 12);
    }

    [Theory]
    [InlineData(20, 30, 7)]
    [InlineData(40, 60, 9)]
    [InlineData(45, 60, 20)]
    [InlineData(64, 128, 30)]
    public void InsideMethod_AgainstBigIntegerPathCount_Agrees(int m, int n, int h)
    {
        var g = (int)BigInteger.GreatestCommonDivisor(m, n);
        var lcm = m / g * n;
        // Count lattice paths (0,0)->(m,n) with |x/m - y/n| < h/lcm, i.e. |x*n/g - y*m/g| < h, exactly.
        var column = new BigInteger[n + 1];
        for (var x = 0; x <= m; x++)
        {
            for (var y = 0; y <= n; y++)
            {
                var inside = Math.Abs(((long)x * n / g) - ((long)y * m / g)) < h;
                if (!inside)
                {
                    column[y] = 0;
                }
                else if (x == 0 && y == 0)
                {
                    column[y] = 1;
                }
                else
                {
                    column[y] = (x > 0 ? column[y] : 0) + (y > 0 ? column[y - 1] : 0);
                }
            }
        }

        var all = Binomial(m + n, n);
        var exact = (double)(column[n] * BigInteger.Pow(10, 30) / all) / 1e30;

        var computed = KsExactProbability.InsideMethod(m, n, g, h);

        Assert.True(lcm > 0);
        Assert.Equal(exact, computed, 12);
    }

    private static BigInteger Binomial(int n, int k)
    {
        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        var indices = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])indices.Clone();
            var i = k - 1;
            while (i >= 0 && indices[i] == n - k + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            indices[i]++;
            for (var j = i + 1; j < k; j++)
            {
                indices[j] = indices[j - 1] + 1;
            }
        }
    }

    internal sealed record KsCase(string Name, double[] A, double[] B, double Statistic, double PValue);

    private static List<KsCase>? s_cases;

    internal static List<KsCase> LoadCases()
    {
        if (s_cases is not null)
        {
            return s_cases;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(SourcePath())!, "ks_cases.json")));
        s_cases = json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new KsCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("a").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            c.GetProperty("b").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            c.GetProperty("statistic").GetDouble(),
            c.GetProperty("p_value").GetDouble())).ToList();
        return s_cases;
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
