using System.Diagnostics;
using System.Globalization;
using Vigil.Metrics;

namespace Vigil.Tests.Metrics;

/// <summary>The exporter finds a measurement's series without building its key as a string.</summary>
public sealed class PrometheusTextExporterSeriesTests
{
    private enum Mode { Fast, Slow }

    [Fact]
    public void Record_ExistingSeries_AllocatesNothing()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        var model = new KeyValuePair<string, object?>("model", "gpt-4.1-mini");
        var endpoint = new KeyValuePair<string, object?>("endpoint", "customer_service");
        var tags = new TagList { { "model", "gpt-4.1-mini" }, { "endpoint", "customer_service" }, { "status", "success" }, { "error_type", "none" } };
        void Measure()
        {
            metrics.Requests.Add(1, tags);
            metrics.RequestDuration.Record(0.5, model, endpoint);
            metrics.CostPerInteraction.Record(0.001, new KeyValuePair<string, object?>("feature", "customer_service"));
        }

        for (var i = 0; i < 1_000; i++)
        {
            Measure();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Measure();
        }

        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        // 30,000 measurements: the old key string alone was 270-360 B each.
        Assert.True(bytes < 30_000, $"{bytes} B for 30,000 measurements");
        var exposition = ExpositionParser.Parse(exporter.Scrape());
        Assert.Equal(11_000, exposition.Named("llm_requests_total").Single().Value);
        Assert.Equal(11_000, exposition.Named("llm_request_duration_seconds_count").Single().Value);
    }

    [Fact]
    public void Record_KeyLongerThanTheStackBuffer_FindsTheSameSeriesAgain()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        var value = "a\"b\\c\nd" + new string('x', 600);
        var escaped = "a\\\"b\\\\c\\nd" + new string('x', 600);

        metrics.CacheHits.Add(1, new KeyValuePair<string, object?>("cache_type", value));
        metrics.CacheHits.Add(2, new KeyValuePair<string, object?>("cache_type", value));

        Assert.Contains($"llm_cache_hits_total{{cache_type=\"{escaped}\"}} 3.0\n", exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Record_NonStringTagValues_AreWrittenAsInvariantText()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        object?[] values = [42, -7L, 0.1, 1e21, 2.5f, 12.50m, Mode.Slow, (Mode)9, true, 'c', null, new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc)];

        foreach (var value in values)
        {
            metrics.CacheHits.Add(1, new KeyValuePair<string, object?>("cache_type", value));
            metrics.CacheHits.Add(1, new KeyValuePair<string, object?>("cache_type", value));
        }

        var text = exporter.Scrape();
        foreach (var value in values)
        {
            Assert.Contains($"llm_cache_hits_total{{cache_type=\"{Convert.ToString(value, CultureInfo.InvariantCulture)}\"}} 2.0\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Scrape_Twice_IsTheSameTextAndSortedByName()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        PrometheusTextExporterTests.RecordOneOfEach(metrics);
        metrics.Tokens.Add(5, new("model", "b"), new("token_type", "input"));
        metrics.Tokens.Add(5, new("model", "a"), new("token_type", "output"));

        var first = exporter.Scrape();
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        exporter.Write(writer);

        Assert.Equal(first, writer.ToString());
        var types = first.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(types.Order(StringComparer.Ordinal), types);
        var tokens = first.Split('\n').Where(l => l.StartsWith("llm_tokens_total{", StringComparison.Ordinal)).ToList();
        Assert.Equal(tokens.Order(StringComparer.Ordinal), tokens);
        Assert.Equal(3, tokens.Count);
    }
}
