using Vigil.Evaluation.Quality;

namespace Vigil.Tests.Evaluation.Quality;

public sealed class NormalDistributionTests
{
    // Reference values: 2 * scipy.stats.norm.sf(z) and scipy.special.erfc(x) (SciPy 1.10).
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.6170750774519738)]
    [InlineData(1.0, 0.31731050786291415)]
    [InlineData(1.96, 0.04999579029644087)]
    [InlineData(2.0, 0.04550026389635839)]
    [InlineData(-2.0, 0.04550026389635839)]
    [InlineData(2.5, 0.012419330651552265)]
    [InlineData(3.0, 0.0026997960632601866)]
    [InlineData(3.5, 0.00046525815807105003)]
    [InlineData(5.0, 5.733031437583866e-07)]
    [InlineData(8.0, 1.244192114854348e-15)]
    [InlineData(10.0, 1.523970604832094e-23)]
    public void TwoSidedPValue_KnownZ_MatchesScipyToTwelveDigits(double z, double expected)
    {
        var p = NormalDistribution.TwoSidedPValue(z);

        Assert.Equal(expected, p, expected * 1e-12);
    }

    [Theory]
    [InlineData(0.1, 0.8875370839817152)]
    [InlineData(1.0, 0.15729920705028516)]
    [InlineData(2.9, 4.109787809945884e-05)]
    [InlineData(3.0, 2.2090496998585445e-05)]
    [InlineData(3.1, 1.1648657367199584e-05)]
    [InlineData(1.99, 0.004888586800383002)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(5.0, 1.5374597944280347e-12)]
    [InlineData(20.0, 5.395865611607901e-176)]
    public void Erfc_KnownX_MatchesScipyToTwelveDigits(double x, double expected)
    {
        Assert.Equal(expected, NormalDistribution.Erfc(x), expected * 1e-12);
        Assert.Equal(2 - expected, NormalDistribution.Erfc(-x), 1e-15);
    }
}
