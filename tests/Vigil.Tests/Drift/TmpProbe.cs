using System.Diagnostics;
using Vigil.Drift;
using Xunit.Abstractions;

namespace Vigil.Tests.Drift;

public sealed class TmpProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var random = new Random(1);
        var x = GaussianData.Set(random, 500, 384);
        var y = GaussianData.Set(random, 500, 384);
        var pooled = x.Values.ToArray().Concat(y.Values.ToArray()).ToArray();
        var k = Pairwise.SquaredDistanceMatrix(pooled, 1000, 384);
        var rs = new double[1000];
        for (var i = 0; i < 1000; i++) { for (var j = 0; j < 1000; j++) { k[i * 1000 + j] = i == j ? 0 : Math.Exp(-k[i * 1000 + j] / 1500); rs[i] += k[i * 1000 + j]; } }
        var st = new PermutationStatistic(k, rs, rs.Sum(), 500, 500);
        var masks = Enumerable.Range(0, 64).Select(b => { var r = new Random(b); var m = new double[1000]; foreach (var i in Enumerable.Range(0, 1000).OrderBy(_ => r.Next()).Take(500)) m[i] = 1; return m; }).ToArray();
        var res = new double[64];
        var one = new double[1];
        for (var rep = 0; rep < 6; rep++)
        {
            var w = Stopwatch.StartNew();
            Pairwise.SquaredDistanceMatrix(pooled, 1000, 384);
            var gram = w.Elapsed.TotalMilliseconds; w.Restart();
            st.Mmd2(masks, res);
            var batch = w.Elapsed.TotalMilliseconds; w.Restart();
            foreach (var m in masks) st.Mmd2([m], one);
            var single = w.Elapsed.TotalMilliseconds; w.Restart();
            MmdDrift.MedianHeuristic(k, 1000);
            var median = w.Elapsed.TotalMilliseconds;
            output.WriteLine($"gram {gram:0.0} ms, 64 perms batched {batch:0.0} ms, one by one {single:0.0} ms, median {median:0.0} ms");
        }
    }
}
