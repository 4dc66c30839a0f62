using Vigil.Drift;

namespace Vigil.Tests.Drift;

public sealed class CentroidDriftTests
{
    [Fact]
    public void Cosine_FortyFiveDegrees_OneMinusCosIsCritical()
    {
        var reference = EmbeddingSet.FromRows([[1.0, 0.0], [3.0, 0.0]]);   // centroid (2, 0)
        var current = EmbeddingSet.FromRows([[1.0, 2.0], [1.0, 0.0]]);     // centroid (1, 1)

        var result = CentroidDrift.Cosine(reference, current, new DriftOptions());

        Assert.Equal(1 - (1 / Math.Sqrt(2)), result.Distance, 15);   // 0.29289…
        Assert.Equal(1 / Math.Sqrt(2), result.Similarity, 15);
        Assert.True(result.IsDrifting);
        Assert.Equal(DriftSeverity.Critical, result.Severity);
    }

    [Theory]
    [InlineData(0.2, 0.0202, DriftSeverity.Normal)]     // cos = 1/√1.04 → 1 − 0.98058 = 0.01942
    [InlineData(0.35, 0.0561, DriftSeverity.Warning)]   // 1 − 1/√1.1225 = 0.05614
    [InlineData(0.5, 0.1056, DriftSeverity.Critical)]   // 1 − 1/√1.25 = 0.10557
    public void Cosine_SeedThresholds_FiveAndTenPercent(double tilt, double approximateDistance, DriftSeverity expected)
    {
        var reference = EmbeddingSet.FromRows([[1.0, 0.0]]);
        var current = EmbeddingSet.FromRows([[1.0, tilt]]);

        var result = CentroidDrift.Cosine(reference, current, new DriftOptions());

        Assert.Equal(1 - (1 / Math.Sqrt(1 + (tilt * tilt))), result.Distance, 14);
        Assert.Equal(approximateDistance, result.Distance, 2);
        Assert.Equal(expected, result.Severity);
        Assert.Equal(expected != DriftSeverity.Normal, result.IsDrifting);
    }

    [Fact]
    public void Cosine_SameDirectionOtherLength_NoDistance()
    {
        var reference = EmbeddingSet.FromRows([[2.0, 0.0], [0.0, 2.0]]);  // (1, 1)
        var current = EmbeddingSet.FromRows([[3.0, 1.0], [1.0, 3.0]]);    // (2, 2)

        var result = CentroidDrift.Cosine(reference, current, new DriftOptions());

        Assert.Equal(0.0, result.Distance, 15);
        Assert.False(result.IsDrifting);
    }

    [Fact]
    public void Cosine_ZeroCentroid_Defined()
    {
        var zero = EmbeddingSet.FromRows([[1.0, -1.0], [-1.0, 1.0]]);
        var other = EmbeddingSet.FromRows([[1.0, 1.0]]);

        Assert.Equal(0.0, CentroidDrift.Cosine(zero, zero, new DriftOptions()).Distance);
        Assert.Equal(1.0, CentroidDrift.Cosine(zero, other, new DriftOptions()).Distance);
    }

    [Theory]
    [InlineData(0.2, DriftSeverity.Normal)]
    [InlineData(0.3, DriftSeverity.Warning)]
    [InlineData(0.6, DriftSeverity.Critical)]
    public void Euclidean_RelativeToTheReferenceSpread(double offset, DriftSeverity expected)
    {
        // Reference centroid (1, 0); both vectors are 1 away from it, so the spread √(mean ‖x − c‖²) is 1.
        var reference = EmbeddingSet.FromRows([[0.0, 0.0], [2.0, 0.0]]);
        var current = EmbeddingSet.FromRows([[1.0, offset], [1.0, offset]]);

        var result = CentroidDrift.Euclidean(reference, current, new DriftOptions());

        Assert.Equal(offset, result.Distance, 15);
        Assert.Equal(1.0, result.ReferenceSpread, 15);
        Assert.Equal(offset, result.RelativeDistance!.Value, 15);
        Assert.Equal(expected, result.Severity);
    }

    [Fact]
    public void Euclidean_ThreeFourFive_DistanceFive()
    {
        var reference = EmbeddingSet.FromRows([[0.0, 0.0], [0.0, 0.0]]);
        var current = EmbeddingSet.FromRows([[3.0, 4.0]]);

        var result = CentroidDrift.Euclidean(reference, current, new DriftOptions());

        Assert.Equal(5.0, result.Distance, 15);
        Assert.Null(result.RelativeDistance);          // the reference has no spread
        Assert.Equal(DriftSeverity.Critical, result.Severity);
    }
}
