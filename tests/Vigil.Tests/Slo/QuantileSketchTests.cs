using Vigil.Slo;

namespace Vigil.Tests.Slo;

public sealed class QuantileSketchTests
{
    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(7, 1.2)]
    [InlineData(42, 2.5)]
    public void Quantile_LognormalLatencies_WithinOnePercentOfExactOrderStatistic(int seed, double sigma)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(7 + (sigma * Gaussian(random)))).ToArray();
        var sketch = new QuantileSketch();
        foreach (var v in values)
        {
            sketch.Add(v);
        }

        Array.Sort(values);
        foreach (var q in new[] { 0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0 })
        {
            var exact = values[Math.Min(values.Length - 1, (int)Math.Floor(q * values.Length))];
            var estimate = sketch.Quantile(q)!.Value;
            Assert.True(Math.Abs(estimate - exact) <= 0.01 * exact, $"q={q}: {estimate} vs exact {exact}");
        }
    }

    [Fact]
    public void Quantile_Empty_IsNull()
    {
        Assert.Null(new QuantileSketch().Quantile(0.5));
    }

    [Fact]
    public void Add_NegativeWeight_RemovesAValueAgain()
    {
        var sketch = new QuantileSketch();
        sketch.Add(100);
        sketch.Add(5000);
        sketch.Add(5000, -1);

        Assert.Equal(1, sketch.Count);
        Assert.Equal(100, sketch.Quantile(0.99)!.Value, 100 * 0.01);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsOneSketchOfAll()
    {
        var random = new Random(3);
        var all = new QuantileSketch();
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        for (var i = 0; i < 5000; i++)
        {
            var v = random.NextDouble() * 10_000;
            all.Add(v);
            (i % 2 == 0 ? a : b).Add(v);
        }

        a.Merge(b);

        foreach (var q in new[] { 0.5, 0.95, 0.99 })
        {
            Assert.Equal(all.Quantile(q), a.Quantile(q));
        }
    }

    [Fact]
    public void Add_ZeroAndTinyValues_CountAsZero()
    {
        var sketch = new QuantileSketch();
        sketch.Add(0);
        sketch.Add(0);
        sketch.Add(250);

        Assert.Equal(0, sketch.Quantile(0.5));
        Assert.Equal(250, sketch.Quantile(0.99)!.Value, 2.5);
    }

    [Fact]
    public void Memory_IsBoundedByRangeNotCount()
    {
        var sketch = new QuantileSketch();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var random = new Random(5);
        for (var i = 0; i < 1_000_000; i++)
        {
            sketch.Add(1 + (random.NextDouble() * 60_000));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 200_000, $"{allocated} bytes for a million values");
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
