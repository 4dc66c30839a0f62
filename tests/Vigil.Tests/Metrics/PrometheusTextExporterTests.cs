using System.Diagnostics;
using Vigil.Metrics;

namespace Vigil.Tests.Metrics;

public sealed class PrometheusTextExporterTests
{
    // The catalog of DESIGN.md: exposition name, type, label names (sorted), bucket upper bounds as written.
    private static readonly (string Name, string Type, string Labels, string[]? Buckets)[] Catalog =
    [
        ("llm_requests_total", "counter", "endpoint,error_type,model,status", null),
        ("llm_errors_total", "counter", "error_code,error_type,model", null),
        ("llm_request_duration_seconds", "histogram", "endpoint,model", ["0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "60.0", "+Inf"]),
        ("llm_time_to_first_token_seconds", "histogram", "model", ["0.05", "0.1", "0.2", "0.5", "1.0", "2.0", "5.0", "+Inf"]),
        ("llm_tokens_total", "counter", "model,token_type", null),
        ("llm_cost_dollars_total", "counter", "feature,model,user_tier", null),
        ("llm_cost_per_interaction_dollars", "histogram", "feature", ["0.0001", "0.0005", "0.001", "0.005", "0.01", "0.02", "0.05", "0.1", "0.5", "1.0", "+Inf"]),
        ("llm_quality_score", "histogram", "dimension,evaluator,model", ["0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0", "+Inf"]),
        ("llm_hallucination_detected_total", "counter", "model,severity", null),
        ("user_feedback_total", "counter", "feature,feedback_type", null),
        ("user_satisfaction_score", "histogram", "feature", ["1.0", "2.0", "3.0", "4.0", "5.0", "+Inf"]),
        ("llm_drift_score", "gauge", "drift_type,model", null),
        ("embedding_drift_distance", "gauge", "metric,model", null),
        ("llm_cache_hits_total", "counter", "cache_type", null),
        ("llm_cache_misses_total", "counter", "cache_type", null),
    ];

    [Fact]
    public void Scrape_EveryCatalogInstrument_HasExactNameTypeLabelsAndBuckets()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        RecordOneOfEach(metrics);

        var exposition = ExpositionParser.Parse(exporter.Scrape());

        foreach (var (name, type, labels, buckets) in Catalog)
        {
            Assert.True(exposition.Types.TryGetValue(name, out var actualType), $"{name} is missing");
            Assert.Equal(type, actualType);
            var sampleName = buckets is null ? name : name + "_bucket";
            var samples = exposition.Named(sampleName).ToList();
            Assert.NotEmpty(samples);
            Assert.All(samples, s => Assert.Equal(labels, s.LabelNames));
            if (buckets is not null)
            {
                Assert.Equal(buckets, samples.Select(s => s.Labels["le"]).ToArray());
                Assert.Single(exposition.Named(name + "_sum"));
                Assert.Equal(1, exposition.Named(name + "_count").Single().Value);
            }
        }
    }

    [Fact]
    public void Scrape_HistogramObservations_AreCumulativeByUpperBound()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        var tags = new TagList { { "model", "m" }, { "endpoint", "e" } };
        foreach (var seconds in new[] { 0.05, 0.1, 0.3, 4.0, 5.0, 100.0 })
        {
            metrics.RequestDuration.Record(seconds, tags);
        }

        var exposition = ExpositionParser.Parse(exporter.Scrape());
        var buckets = exposition.Named("llm_request_duration_seconds_bucket").ToDictionary(s => s.Labels["le"], s => s.Value);

        Assert.Equal(2, buckets["0.1"]); // 0.05 and 0.1 (le is inclusive)
        Assert.Equal(2, buckets["0.25"]);
        Assert.Equal(3, buckets["0.5"]);
        Assert.Equal(5, buckets["5.0"]); // the seed's PromQL selects le="5.0"
        Assert.Equal(5, buckets["60.0"]);
        Assert.Equal(6, buckets["+Inf"]);
        Assert.Equal(6, exposition.Named("llm_request_duration_seconds_count").Single().Value);
        Assert.Equal(109.45, exposition.Named("llm_request_duration_seconds_sum").Single().Value, 9);
    }

    [Fact]
    public void Scrape_CountersAndGauges_SumAndKeepLastValue()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        metrics.Cost.Add(0.25, new("model", "a"), new("feature", "f"), new("user_tier", "free"));
        metrics.Cost.Add(0.5, new("user_tier", "free"), new("model", "a"), new("feature", "f")); // tag order must not matter
        metrics.DriftScore.Record(3.5, new("model", "a"), new("drift_type", "quality_overall"));
        metrics.DriftScore.Record(1.25, new("model", "a"), new("drift_type", "quality_overall"));

        var exposition = ExpositionParser.Parse(exporter.Scrape());

        Assert.Equal(0.75, exposition.Named("llm_cost_dollars_total").Single().Value, 12);
        Assert.Equal(1.25, exposition.Named("llm_drift_score").Single().Value);
    }

    [Fact]
    public void Scrape_LabelValueWithQuotesAndNewlines_IsEscaped()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        metrics.CacheHits.Add(1, new KeyValuePair<string, object?>("cache_type", "a\"b\\c\nd"));

        var text = exporter.Scrape();

        Assert.Contains("llm_cache_hits_total{cache_type=\"a\\\"b\\\\c\\nd\"} 1.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_PastSeriesCap_DropsAndCountsInsteadOfGrowing()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter, maxSeriesPerInstrument: 5);
        for (var i = 0; i < 50; i++)
        {
            metrics.CacheHits.Add(1, new KeyValuePair<string, object?>("cache_type", $"t{i}"));
        }

        var exposition = ExpositionParser.Parse(exporter.Scrape());

        Assert.Equal(5, exposition.Named("llm_cache_hits_total").Count());
        Assert.Equal(45, exporter.DroppedMeasurements);
    }

    [Fact]
    public void Scrape_PassesPromtoolCheckMetrics()
    {
        using var metrics = new VigilMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter);
        RecordOneOfEach(metrics);
        var promtool = Promtool.Find();

        var (exitCode, output) = Promtool.Run(promtool, "check metrics", exporter.Scrape());

        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}");
    }

    internal static void RecordOneOfEach(VigilMetrics metrics)
    {
        metrics.Requests.Add(1, new TagList { { "model", "gpt-4.1-mini" }, { "endpoint", "customer_service" }, { "status", "success" }, { "error_type", "none" } });
        metrics.Errors.Add(1, new("model", "gpt-4.1-mini"), new("error_type", "rate_limit"), new("error_code", "429"));
        metrics.RequestDuration.Record(1.5, new("model", "gpt-4.1-mini"), new("endpoint", "customer_service"));
        metrics.TimeToFirstToken.Record(0.3, new KeyValuePair<string, object?>("model", "gpt-4.1-mini"));
        metrics.Tokens.Add(120, new("model", "gpt-4.1-mini"), new("token_type", "input"));
        metrics.Cost.Add(0.0012, new("model", "gpt-4.1-mini"), new("feature", "customer_service"), new("user_tier", "free"));
        metrics.CostPerInteraction.Record(0.0012, new KeyValuePair<string, object?>("feature", "customer_service"));
        metrics.QualityScore.Record(4.0, new("model", "gpt-4.1-mini"), new("evaluator", "llm_judge"), new("dimension", "overall"));
        metrics.HallucinationDetected.Add(1, new("model", "gpt-4.1-mini"), new("severity", "high"));
        metrics.UserFeedback.Add(1, new("feedback_type", "thumbs_up"), new("feature", "customer_service"));
        metrics.UserSatisfaction.Record(5, new KeyValuePair<string, object?>("feature", "customer_service"));
        metrics.DriftScore.Record(1.2, new("model", "gpt-4.1-mini"), new("drift_type", "quality_overall"));
        metrics.EmbeddingDriftDistance.Record(0.03, new("model", "gpt-4.1-mini"), new("metric", "cosine"));
        metrics.CacheHits.Add(1, new KeyValuePair<string, object?>("cache_type", "exact"));
        metrics.CacheMisses.Add(1, new KeyValuePair<string, object?>("cache_type", "semantic"));
    }
}
