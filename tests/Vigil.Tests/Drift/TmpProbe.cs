using System.Diagnostics;
using Vigil.Drift;
using Xunit.Abstractions;

namespace Vigil.Tests.Drift;

public sealed class TmpProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var random = new Random(2);
        var reference = GaussianData.Set(random, 1000, 50);
        var current = GaussianData.Set(random, 500, 50, shift: 0.1);
        var raw = Enumerable.Range(0, 50).Select(d => (reference.Column(d), current.Column(d))).ToArray();
        var cols = raw.Select(c => (c.Item1.Order().ToArray(), c.Item2.Order().ToArray())).ToArray();
        var hs = cols.Select(c => (long)Math.Round(KolmogorovSmirnov.TwoSampleSorted(c.Item1, c.Item2).Statistic * 1000)).ToArray();
        var bufA = new double[1000]; var bufB = new double[500];
        for (var rep = 0; rep < 8; rep++)
        {
            var w = Stopwatch.StartNew();
            for (var k = 0; k < 20; k++) foreach (var (a, b) in raw) { a.CopyTo(bufA, 0); b.CopyTo(bufB, 0); Array.Sort(bufA); Array.Sort(bufB); }
            var sort = w.Elapsed.TotalMilliseconds / 20; w.Restart();
            for (var k = 0; k < 20; k++) foreach (var (a, b) in cols) KolmogorovSmirnov.TwoSampleSorted(a, b);
            var full = w.Elapsed.TotalMilliseconds / 20; w.Restart();
            for (var k = 0; k < 20; k++) foreach (var h in hs) KsExactProbability.InsideMethod(1000, 500, 500, h);
            var inside = w.Elapsed.TotalMilliseconds / 20; w.Restart();
            for (var k = 0; k < 20; k++) KsDrift.Detect(reference, current, new DriftOptions());
            var detect = w.Elapsed.TotalMilliseconds / 20;
            output.WriteLine($"sort {sort:0.00} ms, ks(sorted) {full:0.00} ms, inside {inside:0.00} ms, detect {detect:0.00} ms; h {hs.Min()}..{hs.Max()}");
        }
    }
}
