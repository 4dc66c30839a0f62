using Vigil.Drift;

namespace Vigil.Tests.Drift;

public sealed class RadixSortTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(1000)]
    [InlineData(12_345)]
    public void Sort_MixedSignsTiesAndExtremes_SameAsArraySort(int length)
    {
        var random = new Random(length);
        var values = Enumerable.Range(0, length).Select(i => (i % 7) switch
        {
            0 => Math.Round(random.NextDouble() * 10) - 5,   // ties, zero
            1 => -random.NextDouble() * 1e300,
            2 => random.NextDouble() * 1e-300,
            3 => double.MaxValue * (random.Next(2) == 0 ? 1 : -1),
            4 => double.Epsilon,
            _ => GaussianData.Normal(random),
        }).ToArray();
        var expected = values.Order().ToArray();

        RadixSort.Sort(values);

        Assert.Equal(expected, values);
    }

    [Fact]
    public void Sort_AllEqual_Unchanged()
    {
        var values = Enumerable.Repeat(0.25, 500).ToArray();

        RadixSort.Sort(values);

        Assert.All(values, v => Assert.Equal(0.25, v));
    }
}
