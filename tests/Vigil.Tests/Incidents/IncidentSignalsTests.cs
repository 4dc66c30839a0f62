using Microsoft.Extensions.Time.Testing;
using Vigil.Incidents;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Slo;
using Vigil.Tests.Evaluation;

namespace Vigil.Tests.Incidents;

public sealed class IncidentSignalsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    private static InteractionRecord Interaction(int i, DateTimeOffset at, bool success, double latencyMs) => new()
    {
        TraceId = $"t{i}",
        Timestamp = at,
        Model = "gpt-4.1-mini",
        Status = success ? InteractionStatus.Success : InteractionStatus.Error,
        ErrorType = success ? null : ErrorType.ServerError,
        LatencyMs = latencyMs,
    };

    [Fact]
    public void From_FiveMinuteWindow_TakesCallsSuccessHallucinationAndP99()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SlidingWindow(time, TimeSpan.FromMinutes(5), 30);
        for (var i = 0; i < 200; i++)
        {
            window.Add(Interaction(i, Start, success: i >= 16, latencyMs: i == 199 ? 40_000 : 1_000));
        }

        for (var i = 0; i < 20; i++)
        {
            window.Add(Verdicts.Of(4, 4, hallucination: i < 6) with { EvaluatedAt = Start });
        }

        var signals = IncidentSignals.From(window.Snapshot().Aggregate);

        Assert.Equal(200, signals.Requests);
        Assert.Equal(0.92, signals.SuccessRate, 6);
        Assert.Equal(0.3, signals.HallucinationRate, 6);
        Assert.Equal(20, signals.Verdicts);
        Assert.InRange(signals.P99Milliseconds, 990, 1010); // 199 of 200 calls took 1 s
        Assert.Equal(DegradationMode.StaticResponse, new IncidentResponder().Assess(signals, Start)); // hallucination 30% > 20%
    }

    [Fact]
    public void From_WindowPassed_HasNoCallsAndIsNotJudged()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SlidingWindow(time, TimeSpan.FromMinutes(5), 30);
        for (var i = 0; i < 50; i++)
        {
            window.Add(Interaction(i, Start, success: false, latencyMs: 1_000));
        }

        time.Advance(TimeSpan.FromMinutes(6));
        var signals = IncidentSignals.From(window.Snapshot().Aggregate);

        Assert.Equal(0, signals.Requests);
        Assert.Equal(DegradationMode.Normal, IncidentResponder.Judge(signals, new IncidentOptions()).Mode);
    }

    [Fact]
    public void From_EmptyAggregate_IsNone()
    {
        Assert.Equal(IncidentSignals.None with { Verdicts = 0 }, IncidentSignals.From(new SignalAggregate()));
    }
}
