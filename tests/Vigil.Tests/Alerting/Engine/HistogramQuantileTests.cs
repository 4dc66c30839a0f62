using Vigil.Alerting.Engine;

namespace Vigil.Tests.Alerting.Engine;

public sealed class HistogramQuantileTests
{
    private static readonly double[] Bounds = [1, 5, 10];

    [Theory]
    // Cumulative counts for le=1, 5, 10 and +Inf (total); Prometheus's interpolation inside the bucket.
    [InlineData(0.5, new[] { 50.0, 100, 100 }, 100, 1)]
    [InlineData(0.75, new[] { 50.0, 100, 100 }, 100, 3)]
    [InlineData(0.99, new[] { 0.0, 0, 100 }, 100, 9.95)]
    [InlineData(0.99, new[] { 0.0, 0, 0 }, 100, 10)] // in +Inf: the highest finite bound
    [InlineData(0.25, new[] { 100.0, 100, 100 }, 100, 0.25)]
    public void Of_Buckets_InterpolatesAsPrometheus(double q, double[] cumulative, double total, double expected)
    {
        Assert.Equal(expected, HistogramQuantile.Of(q, Bounds, cumulative, total), 9);
    }

    [Fact]
    public void Of_NoObservations_IsNaN()
    {
        Assert.True(double.IsNaN(HistogramQuantile.Of(0.99, Bounds, new double[3], 0)));
    }
}
