using Microsoft.Extensions.DependencyInjection;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Signals;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Signals;

/// <summary>A judged answer scoring overall ≤ 2 is the seed's <c>low_quality</c> soft error in <c>llm_errors_total</c>, in the library's host.</summary>
public sealed class LowQualityVerdictTests
{
    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(2.0, 1)]
    [InlineData(2.5, 0)]
    [InlineData(3.0, 0)]
    [InlineData(5.0, 0)]
    public async Task Record_Verdict_CountsLowQualityOnlyAtOverallTwoOrLess(double overall, int expected)
    {
        using var metrics = new VigilMetrics();
        using var recorder = new MetricRecorder(metrics.Meter);
        await using var provider = new ServiceCollection().AddSingleton(metrics).AddVigil().BuildServiceProvider();

        provider.GetRequiredService<VigilMonitor>().Record(Verdict(overall));

        Assert.Equal(expected, recorder.Sum(MetricNames.Errors, ("error_type", "low_quality"), ("error_code", "0"), ("model", "unknown")));
        Assert.Equal(expected, recorder.Sum(MetricNames.Errors));
        Assert.Equal(0, recorder.Sum(MetricNames.Requests));
    }

    [Fact]
    public void Write_VerdictWithItsModel_LabelsTheModelGuarded()
    {
        using var metrics = new VigilMetrics();
        using var recorder = new MetricRecorder(metrics.Meter);
        var writer = new MetricCatalogWriter(metrics, new Vigil.Configuration.VigilOptions { Models = { "gpt-4.1" } });

        writer.Write(Verdict(2), "gpt-4.1");
        writer.Write(Verdict(1), "some-new-model");

        Assert.Equal(1, recorder.Sum(MetricNames.Errors, ("error_type", "low_quality"), ("model", "gpt-4.1")));
        Assert.Equal(1, recorder.Sum(MetricNames.Errors, ("error_type", "low_quality"), ("model", "other")));
    }

    private static EvaluationRecord Verdict(double overall) => new()
    {
        TraceId = "t-" + Guid.NewGuid().ToString("N"),
        JudgeModel = "judge",
        Relevance = overall,
        Coherence = overall,
        Faithfulness = overall,
        Safety = 5,
        Overall = overall,
        IsHallucination = false,
    };
}
