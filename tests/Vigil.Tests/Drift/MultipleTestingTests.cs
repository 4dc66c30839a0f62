using Vigil.Drift;

namespace Vigil.Tests.Drift;

public sealed class MultipleTestingTests
{
    private static readonly double[] PValues = [0.011, 0.045, 0.02, 0.005, 0.5];

    [Fact]
    public void Bonferroni_MultipliesByTheNumberOfTestsAndClipsToOne()
    {
        var adjusted = MultipleTesting.Bonferroni(PValues);

        Assert.Equal([0.055, 0.225, 0.1, 0.025, 1.0], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void BenjaminiHochberg_StepUpAdjustedInOriginalOrder()
    {
        // Sorted: 0.005 (1), 0.011 (2), 0.02 (3), 0.045 (4), 0.5 (5); m·p/rank = 0.025, 0.0275, 0.0333…, 0.05625, 0.5;
        // increasing already, so the running minimum from the top leaves them as they are.
        var adjusted = MultipleTesting.BenjaminiHochberg(PValues);

        Assert.Equal([0.0275, 0.05625, 0.033333333333, 0.025, 0.5], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void BenjaminiHochberg_LargerRankCanLowerASmallerOne()
    {
        // m·p/rank = 0.04·3/1 = 0.12, 0.045·3/2 = 0.0675, 0.046·3/3 = 0.046 → all take 0.046 from the top.
        var adjusted = MultipleTesting.BenjaminiHochberg([0.04, 0.045, 0.046]);

        Assert.All(adjusted, p => Assert.Equal(0.046, p, 12));
    }

    [Fact]
    public void Adjust_AtFivePercent_BenjaminiHochbergRejectsMoreThanBonferroni()
    {
        var bonferroni = MultipleTesting.Adjust(PValues, PValueCorrection.Bonferroni).Count(p => p < 0.05);
        var bh = MultipleTesting.Adjust(PValues, PValueCorrection.BenjaminiHochberg).Count(p => p < 0.05);

        Assert.Equal(1, bonferroni);  // only 0.005·5 = 0.025
        Assert.Equal(3, bh);          // 0.005, 0.011 and 0.02; 0.045 adjusts to 0.05625
    }
}
