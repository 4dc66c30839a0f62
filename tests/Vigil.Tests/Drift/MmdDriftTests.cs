using Vigil.Drift;
using Xunit.Abstractions;

namespace Vigil.Tests.Drift;

public sealed class MmdDriftTests(ITestOutputHelper output)
{
    private const int Pairs = 200;

    [Fact]
    public void Detect_NoDrift_FlagsAtMostSixPercentAtLevelFivePercent()
    {
        var flagged = 0;
        for (var trial = 0; trial < Pairs; trial++)
        {
            var random = new Random(5000 + trial);
            var reference = GaussianData.Set(random, 50, 8);
            var current = GaussianData.Set(random, 50, 8);

            var result = MmdDrift.Detect(reference, current, new DriftOptions { Seed = trial, Permutations = 100 });

            flagged += result.IsDrifting ? 1 : 0;
        }

        output.WriteLine($"no drift: {flagged}/{Pairs} flagged");
        Assert.True(flagged <= 0.06 * Pairs, $"{flagged} of {Pairs} no-drift pairs flagged");
    }

    [Fact]
    public void Detect_SmallMeanShift_FlagsAtLeastNinetyFivePercent()
    {
        // Every dimension moves by half a standard deviation.
        var flagged = 0;
        for (var trial = 0; trial < Pairs; trial++)
        {
            var random = new Random(9000 + trial);
            var reference = GaussianData.Set(random, 50, 8);
            var current = GaussianData.Set(random, 50, 8, shift: 0.5);

            var result = MmdDrift.Detect(reference, current, new DriftOptions { Seed = trial, Permutations = 100 });

            flagged += result.IsDrifting ? 1 : 0;
        }

        output.WriteLine($"shift 0.5: {flagged}/{Pairs} flagged");
        Assert.True(flagged >= 0.95 * Pairs, $"only {flagged} of {Pairs} shifted pairs flagged");
    }

    [Fact]
    public void Detect_SameSeed_SameAnswer()
    {
        var random = new Random(1);
        var reference = GaussianData.Set(random, 40, 6);
        var current = GaussianData.Set(random, 30, 6, shift: 0.2);

        var first = MmdDrift.Detect(reference, current, new DriftOptions { Seed = 7 });
        var second = MmdDrift.Detect(reference, current, new DriftOptions { Seed = 7 });

        Assert.Equal(first, second);
    }

    [Fact]
    public void Detect_Mmd2_IsTheUnbiasedEstimatorWithTheMedianBandwidth()
    {
        var random = new Random(2);
        var reference = GaussianData.Set(random, 7, 3);
        var current = GaussianData.Set(random, 5, 3, shift: 1.0);
        var pooled = Enumerable.Range(0, 7).Select(i => reference[i].ToArray())
            .Concat(Enumerable.Range(0, 5).Select(i => current[i].ToArray())).ToArray();
        var distances = new List<double>();
        for (var i = 0; i < pooled.Length; i++)
        {
            for (var j = i + 1; j < pooled.Length; j++)
            {
                distances.Add(Math.Sqrt(SquaredDistance(pooled[i], pooled[j])));
            }
        }

        distances.Sort();
        var sigma = (distances[(distances.Count / 2) - 1] + distances[distances.Count / 2]) / 2; // 66 pairs: an even count
        double K(double[] a, double[] b) => Math.Exp(-SquaredDistance(a, b) / (2 * sigma * sigma));
        double xx = 0, yy = 0, xy = 0;
        for (var i = 0; i < 7; i++)
        {
            for (var j = 0; j < 7; j++)
            {
                xx += i != j ? K(pooled[i], pooled[j]) : 0;
            }

            for (var j = 7; j < 12; j++)
            {
                xy += K(pooled[i], pooled[j]);
            }
        }

        for (var i = 7; i < 12; i++)
        {
            for (var j = 7; j < 12; j++)
            {
                yy += i != j ? K(pooled[i], pooled[j]) : 0;
            }
        }

        var expected = (xx / (7 * 6)) + (yy / (5 * 4)) - (2 * xy / (7 * 5));

        var result = MmdDrift.Detect(reference, current, new DriftOptions());

        Assert.Equal(sigma, result.Bandwidth, 12);
        Assert.Equal(expected, result.Mmd2, 12);
    }

    [Fact]
    public void Detect_PValue_IsCountPlusOneOverPermutationsPlusOne()
    {
        var random = new Random(3);
        var reference = GaussianData.Set(random, 30, 4);
        var current = GaussianData.Set(random, 30, 4, shift: 3.0);

        var result = MmdDrift.Detect(reference, current, new DriftOptions { Permutations = 50 });

        Assert.Equal(1.0 / 51, result.PValue, 15);
        Assert.True(result.IsDrifting);
        // 50 permutations cannot reach alpha/10 = 0.005; beating every permutation counts as critical.
        Assert.Equal(DriftSeverity.Critical, result.Severity);
    }

    [Fact]
    public void Detect_ManyPermutations_CriticalOnlyBelowAlphaOverTen()
    {
        var random = new Random(4);
        var reference = GaussianData.Set(random, 30, 4);
        var current = GaussianData.Set(random, 30, 4, shift: 3.0);

        var result = MmdDrift.Detect(reference, current, new DriftOptions { Permutations = 999 });

        Assert.Equal(0.001, result.PValue, 15);
        Assert.Equal(DriftSeverity.Critical, result.Severity);
    }

    [Fact]
    public void Detect_LargeSets_SubsampledToMaxSamplesReproducibly()
    {
        var random = new Random(5);
        var reference = GaussianData.Set(random, 120, 4);
        var current = GaussianData.Set(random, 90, 4);
        var options = new DriftOptions { MmdMaxSamples = 60, Seed = 11 };

        var first = MmdDrift.Detect(reference, current, options);
        var second = MmdDrift.Detect(reference, current, options);

        Assert.Equal(60, first.ReferenceSamples);
        Assert.Equal(60, first.CurrentSamples);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Detect_AllVectorsEqual_NoDriftAndFiniteBandwidth()
    {
        var set = new EmbeddingSet([1, 2, 1, 2, 1, 2], 2);

        var result = MmdDrift.Detect(set, set, new DriftOptions());

        Assert.Equal(1.0, result.Bandwidth);
        Assert.Equal(0.0, result.Mmd2, 12);
        Assert.Equal(1.0, result.PValue);
        Assert.False(result.IsDrifting);
    }

    [Fact]
    public void Detect_OneVector_Throws()
    {
        var one = new EmbeddingSet([1, 2], 2);
        var two = new EmbeddingSet([1, 2, 3, 4], 2);

        Assert.Throws<ArgumentException>(() => MmdDrift.Detect(one, two, new DriftOptions()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(101)]
    [InlineData(1000)]
    public void Select_RandomValuesWithTies_EqualsTheSortedOrderStatistic(int length)
    {
        var random = new Random(length);
        var values = Enumerable.Range(0, length).Select(_ => (double)random.Next(0, 50)).ToArray();
        var sorted = values.Order().ToArray();
        for (var k = 0; k < length; k += Math.Max(1, length / 17))
        {
            var copy = (double[])values.Clone();
            Assert.Equal(sorted[k], Selection.Select(copy, k));
            Assert.All(copy.Skip(k + 1), v => Assert.True(v >= sorted[k]));
        }
    }

    private static double SquaredDistance(double[] a, double[] b) => a.Zip(b, (x, y) => (x - y) * (x - y)).Sum();
}
