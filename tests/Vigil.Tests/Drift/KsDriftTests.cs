using Vigil.Drift;

namespace Vigil.Tests.Drift;

public sealed class KsDriftTests
{
    [Fact]
    public void Detect_PValues_AreThePerDimensionTwoSampleTestsInOrder()
    {
        var random = new Random(1);
        var reference = GaussianData.Set(random, 60, 5);
        var current = GaussianData.Set(random, 45, 5, shift: 1.0, shiftedDimensions: 2);

        var result = KsDrift.Detect(reference, current, new DriftOptions());

        Assert.Equal(5, result.TotalDimensions);
        for (var d = 0; d < 5; d++)
        {
            Assert.Equal(KolmogorovSmirnov.TwoSample(reference.Column(d), current.Column(d)).PValue, result.PValues[d]);
        }

        Assert.Equal(Math.Min(1.0, result.PValues.Min() * 5), result.MinPValue);
        Assert.Equal([0, 1], result.DriftingDimensionIndices);
        Assert.Equal(2, result.DriftingDimensions);
        Assert.Equal(0.4, result.DriftRatio);
        Assert.True(result.IsDrifting);
        Assert.Equal(DriftSeverity.Critical, result.Severity);
    }

    [Fact]
    public void Detect_NoShift_NotDrifting()
    {
        var random = new Random(2);
        var reference = GaussianData.Set(random, 200, 16);
        var current = GaussianData.Set(random, 150, 16);

        var result = KsDrift.Detect(reference, current, new DriftOptions());

        Assert.False(result.IsDrifting);
        Assert.Equal(DriftSeverity.Normal, result.Severity);
        Assert.Equal(0, result.DriftingDimensions);
    }

    [Fact]
    public void Detect_BenjaminiHochberg_FlagsAtLeastAsManyDimensionsAsBonferroni()
    {
        var random = new Random(3);
        var reference = GaussianData.Set(random, 120, 40);
        var current = GaussianData.Set(random, 120, 40, shift: 0.45, shiftedDimensions: 12);

        var bonferroni = KsDrift.Detect(reference, current, new DriftOptions { Correction = PValueCorrection.Bonferroni });
        var bh = KsDrift.Detect(reference, current, new DriftOptions { Correction = PValueCorrection.BenjaminiHochberg });

        Assert.Equal(bonferroni.PValues, bh.PValues);
        Assert.Equal(bonferroni.MinPValue, bh.MinPValue);
        Assert.True(bh.DriftingDimensions > bonferroni.DriftingDimensions,
            $"BH {bh.DriftingDimensions}, Bonferroni {bonferroni.DriftingDimensions}");
        Assert.Subset(bh.DriftingDimensionIndices.ToHashSet(), bonferroni.DriftingDimensionIndices.ToHashSet());
    }

    [Fact]
    public void Detect_ManyDimensions_SameAnswerAsOneAtATime()
    {
        // Above the parallel threshold the per-dimension answers are the same as computed alone.
        var random = new Random(4);
        var reference = GaussianData.Set(random, 300, 64);
        var current = GaussianData.Set(random, 200, 64, shift: 0.1);

        var result = KsDrift.Detect(reference, current, new DriftOptions());

        for (var d = 0; d < 64; d += 7)
        {
            Assert.Equal(KolmogorovSmirnov.TwoSample(reference.Column(d), current.Column(d)).PValue, result.PValues[d]);
        }
    }

    [Fact]
    public void Detect_DifferentDimensions_Throws()
    {
        var a = new EmbeddingSet([1, 2, 3, 4], 2);
        var b = new EmbeddingSet([1, 2, 3], 3);

        Assert.Throws<ArgumentException>(() => KsDrift.Detect(a, b, new DriftOptions()));
    }
}
