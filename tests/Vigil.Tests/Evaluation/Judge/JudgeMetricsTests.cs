using Vigil.Configuration;
using Vigil.Evaluation;
using Vigil.Evaluation.Judge;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Evaluation.Judge;

public sealed class JudgeMetricsTests : IDisposable
{
    private readonly IsolatedMeterFactory _meters = new();
    private readonly VigilMetrics _metrics;
    private readonly MetricRecorder _recorder;

    public JudgeMetricsTests()
    {
        _metrics = new VigilMetrics(_meters);
        _recorder = new MetricRecorder(_metrics.Meter);
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _metrics.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void Record_ModelOutsideTheConfiguredSet_IsFoldedIntoOther()
    {
        var options = new VigilOptions();
        options.Models.Add("gpt-4.1");
        var recorder = new JudgeMetrics(_metrics, options);

        recorder.RecordVerdict(new JudgeReply(4, 4, 2, 5, 3, true, "r"), "some-new-model");
        recorder.RecordVerdict(new JudgeReply(4, 4, 4, 5, 4, false, "r"), "gpt-4.1");

        Assert.Equal(new HashSet<string> { "other", "gpt-4.1" }, _recorder.LabelValues(MetricNames.QualityScore, "model"));
        Assert.Equal(1, _recorder.Sum(MetricNames.HallucinationDetected, ("model", "other"), ("severity", "high")));
    }

    [Fact]
    public void Record_Error_CountsTheCallAndTheReasonAndNoScore()
    {
        var recorder = new JudgeMetrics(_metrics);

        recorder.Record(JudgeResult.Failure(new JudgeError(JudgeErrorKind.Timeout, "slow"), 4, TimeSpan.FromSeconds(3)), "m");

        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeCalls, ("outcome", "error")));
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeErrors, ("reason", "timeout")));
        Assert.Equal(3, Assert.Single(_recorder.Of(MetricNames.JudgeDuration)).Value);
        Assert.Empty(_recorder.Of(MetricNames.QualityScore));
    }

    [Fact]
    public void RecordVerdict_NoModel_IsLabelledUnknown()
    {
        new JudgeMetrics(_metrics).RecordVerdict(new JudgeReply(4, 4, 4, 5, 4, false, "r"), null);

        Assert.Equal(new HashSet<string> { "unknown" }, _recorder.LabelValues(MetricNames.QualityScore, "model"));
    }

    [Theory]
    [InlineData(1, "high")]
    [InlineData(2, "high")]
    [InlineData(2.01, "medium")]
    [InlineData(3, "medium")]
    [InlineData(3.5, "low")]
    [InlineData(5, "low")]
    public void Severity_IsTheSeedRule(double faithfulness, string severity) =>
        Assert.Equal(severity, Vigil.Evaluation.Quality.HallucinationSeverities.Label(VerdictRules.SeverityOf(faithfulness)));
}
