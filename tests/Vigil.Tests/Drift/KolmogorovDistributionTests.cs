using Vigil.Drift;

namespace Vigil.Tests.Drift;

/// <summary>
/// The branches of kstwo.sf checked against each other: Durbin's matrix and Pomeranz's recursion are both exact, so
/// they must agree wherever both apply; 2·smirnov is exact for x ≥ 0.5; the Ruben–Gambino edges are closed forms;
/// Pelz–Good is an approximation that must come close to the exact value for large n.
/// </summary>
public sealed class KolmogorovDistributionTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(57)]
    [InlineData(140)]
    public void PomeranzCdf_AnyX_EqualsDurbinCdf(int n)
    {
        // Where Pomeranz is used (n·x² ≤ 4) and a little beyond; Durbin's matrix grows with n·x.
        for (var t = 1.05; t < Math.Min(n - 1, Math.Sqrt(6.0 * n)); t += 0.37)
        {
            var x = t / n;
            Assert.Equal(KolmogorovDistribution.DurbinCdf(n, x), KolmogorovDistribution.PomeranzCdf(n, x), 10);
        }
    }

    [Theory]
    [InlineData(3, 0.5)]
    [InlineData(10, 0.55)]
    [InlineData(30, 0.7)]
    [InlineData(100, 0.5)]
    public void Smirnov_XAtLeastHalf_TwiceItIsTheExactSf(int n, double x)
    {
        var exactSf = 1 - KolmogorovDistribution.DurbinCdf(n, x);

        Assert.Equal(exactSf, 2 * KolmogorovDistribution.Smirnov(n, x), 12);
        Assert.Equal(exactSf, KolmogorovDistribution.Sf(n, x), 12);
    }

    [Fact]
    public void Smirnov_OneObservation_IsOneMinusX()
    {
        Assert.Equal(0.7, KolmogorovDistribution.Smirnov(1, 0.3), 15);
    }

    [Theory]
    [InlineData(10, 0.07)]
    [InlineData(100, 0.008)]
    [InlineData(100, 0.0099)]
    [InlineData(500, 0.0019)]
    public void Sf_RubenGambinoLowerEdge_EqualsTheClosedFormAndDurbin(int n, double x)
    {
        // 1/(2n) < x ≤ 1/n: Pr(D_n ≤ x) = n!/n^n (2nx − 1)^n.
        var cdf = Math.Exp(KolmogorovDistribution.LogFactorial(n) - (n * Math.Log(n)) + (n * Math.Log((2 * n * x) - 1)));

        Assert.Equal(1 - cdf, KolmogorovDistribution.Sf(n, x), 12);
        Assert.Equal(cdf, KolmogorovDistribution.DurbinCdf(n, x), 10);
    }

    [Theory]
    [InlineData(10, 0.95)]
    [InlineData(50, 0.985)]
    public void Sf_RubenGambinoUpperEdge_IsTwiceOneMinusXToTheN(int n, double x)
    {
        Assert.Equal(2 * Math.Pow(1 - x, n), KolmogorovDistribution.Sf(n, x), 15);
    }

    [Theory]
    [InlineData(20, 0.1)]
    [InlineData(60, 0.2)]
    [InlineData(140, 0.13)]
    public void Sf_SmallN_IsOneMinusTheExactCdf(int n, double x)
    {
        Assert.Equal(1 - KolmogorovDistribution.DurbinCdf(n, x), KolmogorovDistribution.Sf(n, x), 10);
    }

    [Theory]
    [InlineData(141, 0.03)]    // n·x^1.5 ≤ 1.4: Durbin
    [InlineData(1000, 0.01)]   // Durbin
    [InlineData(1000, 0.04)]   // Pelz–Good
    [InlineData(5143, 0.0149)] // Pelz–Good, the 9000×12000 scipy case
    [InlineData(20000, 0.004)] // Pelz–Good
    public void Sf_LargeN_CloseToTheExactCdf(int n, double x)
    {
        var exact = 1 - KolmogorovDistribution.DurbinCdf(n, x);

        Assert.Equal(exact, KolmogorovDistribution.Sf(n, x), 6);
    }

    [Theory]
    [InlineData(1000, 0.05)]  // n·x² = 2.5: 2·smirnov
    [InlineData(300, 0.12)]   // n·x² = 4.3
    public void Sf_LargeNTail_TwiceSmirnovCloseToExact(int n, double x)
    {
        var exact = 1 - KolmogorovDistribution.DurbinCdf(n, x);

        Assert.Equal(2 * KolmogorovDistribution.Smirnov(n, x), KolmogorovDistribution.Sf(n, x), 15);
        Assert.True(Math.Abs(exact - KolmogorovDistribution.Sf(n, x)) <= 1e-4 * exact + 1e-12,
            $"exact {exact:E6}, sf {KolmogorovDistribution.Sf(n, x):E6}");
    }

    [Fact]
    public void Sf_FarTail_IsZero()
    {
        Assert.Equal(0.0, KolmogorovDistribution.Sf(1000, 0.7));
        Assert.Equal(0.0, KolmogorovDistribution.Sf(10_000, 0.2));
        Assert.Equal(1.0, KolmogorovDistribution.Sf(100, 0.004));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(200)]
    [InlineData(5000)]
    public void LogNFactorialDivNPowN_MatchesTheExactSum(int n)
    {
        var exact = 0.0;
        for (var i = 1; i <= n; i++)
        {
            exact += Math.Log((double)i / n);
        }

        Assert.Equal(exact, KolmogorovDistribution.LogNFactorialDivNPowN(n), 9);
    }
}
