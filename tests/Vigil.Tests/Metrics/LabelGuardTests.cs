using Vigil.Metrics;

namespace Vigil.Tests.Metrics;

public sealed class LabelGuardTests
{
    [Fact]
    public void Apply_ConfiguredSet_FoldsOthers()
    {
        var guard = new LabelGuard("model", ["gpt-4.1", "gpt-4.1-mini"], maxDistinct: 100);

        Assert.Equal("gpt-4.1", guard.Apply("gpt-4.1"));
        Assert.Equal(LabelGuard.Other, guard.Apply("gpt-4o"));
        Assert.Equal(LabelGuard.Other, guard.Apply("GPT-4.1"));
    }

    [Fact]
    public void Apply_NoSet_AdmitsFirstNThenFolds()
    {
        var guard = new LabelGuard("feature", null, maxDistinct: 3);

        var labels = Enumerable.Range(0, 1000).Select(i => guard.Apply($"f{i % 500}")).ToHashSet();

        Assert.Equal(["f0", "f1", "f2", LabelGuard.Other], labels.Order());
        Assert.Equal("f1", guard.Apply("f1"));
    }

    [Fact]
    public void Apply_ManyThreads_NeverAdmitsMoreThanMax()
    {
        var guard = new LabelGuard("feature", null, maxDistinct: 10);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();

        Parallel.For(0, 20_000, i => seen.TryAdd(guard.Apply($"v{i}"), 0));

        Assert.True(seen.Count <= 11, $"{seen.Count} distinct labels");
        Assert.Contains(LabelGuard.Other, seen.Keys);
    }

    [Fact]
    public void Apply_Overflow_IsCounted()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        var guard = new LabelGuard("user_tier", ["free", "pro"], maxDistinct: 10, metrics);

        guard.Apply("enterprise");
        guard.Apply("trial");

        Assert.Contains("vigil_label_overflow_total{label=\"user_tier\"} 2.0", exporter.Scrape(), StringComparison.Ordinal);
    }
}
