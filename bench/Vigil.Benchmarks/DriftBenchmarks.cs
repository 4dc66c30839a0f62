using BenchmarkDotNet.Attributes;
using Vigil.Drift;

namespace Vigil.Benchmarks;

/// <summary>
/// Issue #4's drift goals: MMD² with 100 permutations on 500 vs 500 vectors of 384 dimensions ≤ 0.5 s, and KS on
/// 50 dimensions of 1000 vs 500 ≤ 10 ms. Gaussian data with a fixed seed; the current set is shifted a little.
/// Beside them, the cost of many small MMD tests (200 pairs of 50 vs 50 vectors of 8 dimensions), where the
/// per-call setup weighs more than the kernel sums.
/// </summary>
[MemoryDiagnoser]
public class DriftBenchmarks
{
    private readonly DriftOptions _options = new() { Permutations = 100, Seed = 42 };
    private EmbeddingSet _mmdReference = null!;
    private EmbeddingSet _mmdCurrent = null!;
    private EmbeddingSet _ksReference = null!;
    private EmbeddingSet _ksCurrent = null!;
    private (EmbeddingSet Reference, EmbeddingSet Current)[] _smallPairs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _mmdReference = Gaussian(random, 500, 384, 0);
        _mmdCurrent = Gaussian(random, 500, 384, 0.05);
        _ksReference = Gaussian(random, 1000, 50, 0);
        _ksCurrent = Gaussian(random, 500, 50, 0.05);
        _smallPairs = [.. Enumerable.Range(0, 200).Select(seed =>
        {
            var pairRandom = new Random(seed);
            return (Gaussian(pairRandom, 50, 8, 0), Gaussian(pairRandom, 50, 8, 0));
        })];
    }

    [Benchmark(Description = "MMD² 500 vs 500 x 384, 100 permutations")]
    public double Mmd() => MmdDrift.Detect(_mmdReference, _mmdCurrent, _options).PValue;

    [Benchmark(Description = "KS 50 dims, 1000 vs 500")]
    public int Ks() => KsDrift.Detect(_ksReference, _ksCurrent, _options).DriftingDimensions;

    [Benchmark(Description = "MMD² 200 pairs of 50 vs 50 x 8, 100 permutations")]
    public double MmdSmallPairs()
    {
        var sum = 0.0;
        foreach (var (reference, current) in _smallPairs)
        {
            sum += MmdDrift.Detect(reference, current, _options).PValue;
        }

        return sum;
    }

    private static EmbeddingSet Gaussian(Random random, int rows, int dimensions, double shift)
    {
        var values = new double[rows * dimensions];
        for (var i = 0; i < values.Length; i++)
        {
            // Box–Muller.
            var u = 1.0 - random.NextDouble();
            var v = random.NextDouble();
            values[i] = shift + (Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }

        return new EmbeddingSet(values, dimensions);
    }
}
