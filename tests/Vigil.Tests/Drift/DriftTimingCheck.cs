using System.Diagnostics;
using Vigil.Drift;
using Xunit.Abstractions;

namespace Vigil.Tests.Drift;

/// <summary>
/// A timing check run by hand, not a benchmark and not an assertion: it prints the median of a few runs and does
/// nothing unless VIGIL_DRIFT_TIMING=1. Run it in Release:
/// <c>VIGIL_DRIFT_TIMING=1 dotnet test tests/Vigil.Tests -c Release --filter DriftTimingCheck --logger "console;verbosity=detailed"</c>.
/// Goals: MMD 500 against 500 vectors of 384 dimensions with 100 permutations ≤ 0.5 s; KS over 50 dimensions of
/// 1000 against 500 vectors ≤ 10 ms.
/// </summary>
public sealed class DriftTimingCheck(ITestOutputHelper output)
{
    private static bool Enabled => Environment.GetEnvironmentVariable("VIGIL_DRIFT_TIMING") == "1";

    [Fact]
    public void Mmd_500x500x384_100Permutations()
    {
        if (!Enabled)
        {
            return;
        }

        var random = new Random(1);
        var reference = GaussianData.Set(random, 500, 384);
        var current = GaussianData.Set(random, 500, 384, shift: 0.02);
        var options = new DriftOptions { Permutations = 100, Seed = 1 };
        MmdDriftResult? result = null;
        var ms = Time(() => result = MmdDrift.Detect(reference, current, options));
        output.WriteLine($"MMD 500x500x384, 100 permutations: {ms} (p {result!.PValue:0.####}, mmd2 {result.Mmd2:E3}, {Environment.ProcessorCount} cores)");
    }

    [Fact]
    public void Ks_50Dimensions_1000x500()
    {
        if (!Enabled)
        {
            return;
        }

        var random = new Random(2);
        var reference = GaussianData.Set(random, 1000, 50);
        var current = GaussianData.Set(random, 500, 50, shift: 0.1);
        KsDriftResult? result = null;
        var ms = Time(() => result = KsDrift.Detect(reference, current, new DriftOptions()));
        output.WriteLine($"KS 50 dims, 1000x500: {ms} ({result!.DriftingDimensions} drifting)");
    }

    [Fact]
    public void Mmd_50x50x8_200Pairs()
    {
        if (!Enabled)
        {
            return;
        }

        var sets = Enumerable.Range(0, 200).Select(t =>
        {
            var random = new Random(t);
            return (GaussianData.Set(random, 50, 8), GaussianData.Set(random, 50, 8));
        }).ToArray();
        var ms = Time(() =>
        {
            foreach (var (a, b) in sets)
            {
                MmdDrift.Detect(a, b, new DriftOptions());
            }
        });
        output.WriteLine($"MMD 200 pairs of 50x50x8, 100 permutations: {ms}");
    }

    /// <summary>The median wall time in ms of 7 runs after a warm-up; the median CPU time of the process beside it.</summary>
    private static string Time(Action action)
    {
        action(); // warm-up: JIT and tiering
        var wall = new List<double>();
        var cpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < 7; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            wall.Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }

        wall.Sort();
        cpu.Sort();
        return $"wall {wall[3]:0.0} ms (min {wall[0]:0.0}), cpu {cpu[3]:0.0} ms";
    }
}
