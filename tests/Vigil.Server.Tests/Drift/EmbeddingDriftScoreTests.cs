using Vigil.Drift;
using Vigil.Server.Drift;

namespace Vigil.Server.Tests.Drift;

/// <summary>The one scale of <c>llm_drift_score</c> for every embedding drift method: 1 at warning, 2 at critical.</summary>
public sealed class EmbeddingDriftScoreTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.025, 0.5)]
    [InlineData(0.05, 1.0)]
    [InlineData(0.075, 1.5)]
    [InlineData(0.1, 2.0)]
    [InlineData(0.2, 4.0)]
    [InlineData(2.0, EmbeddingDriftScore.Max)]
    public void FromDistance_CosineThresholds_OneAtWarningTwoAtCritical(double distance, double expected) =>
        Assert.Equal(expected, EmbeddingDriftScore.FromDistance(distance, 0.05, 0.1), 9);

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(0.525, 0.5)]
    [InlineData(0.05, 1.0)]
    [InlineData(0.005, 2.0)]
    [InlineData(0.0005, 3.0)]
    [InlineData(0.0, EmbeddingDriftScore.Max)]
    public void FromPValue_AlphaFivePercent_OneAtAlphaTwoAtATenth(double p, double expected) =>
        Assert.Equal(expected, EmbeddingDriftScore.FromPValue(p, 0.05), 9);

    [Fact]
    public void Of_MmdAtItsPermutationFloor_CriticalScoresTwo()
    {
        // 100 permutations cannot give p below 1/101, which the method calls critical although it is above alpha/10.
        var result = new MmdDriftResult
        {
            IsDrifting = true, Severity = DriftSeverity.Critical, Mmd2 = 0.3, PValue = 1.0 / 101, Bandwidth = 1, Permutations = 100, Seed = 0,
            ReferenceSamples = 100, CurrentSamples = 100, Alpha = 0.05,
        };

        Assert.Equal(2.0, EmbeddingDriftScore.Of(result));
    }

    [Fact]
    public void Of_KsNormalAtTheBoundary_StaysBelowOne()
    {
        var result = new KsDriftResult
        {
            IsDrifting = false, Severity = DriftSeverity.Normal, PValues = [0.01, 0.9], AdjustedPValues = [0.05, 1.0], DriftingDimensions = 0,
            DriftingDimensionIndices = [], TotalDimensions = 2, DriftRatio = 0, MinPValue = 0.02, Correction = PValueCorrection.Bonferroni, Alpha = 0.05,
        };

        Assert.True(EmbeddingDriftScore.Of(result) < 1);
    }
}
