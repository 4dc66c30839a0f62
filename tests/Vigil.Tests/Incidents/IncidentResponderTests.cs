using Microsoft.Extensions.Time.Testing;
using Vigil.Incidents;

namespace Vigil.Tests.Incidents;

public sealed class IncidentResponderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    private static IncidentSignals Healthy => new(100, 0.999, 0.01, 2_000);
    private static IncidentSignals P0 => new(100, 0.85);
    private static IncidentSignals P1 => new(100, 0.93);
    private static IncidentSignals P2 => new(100, 0.97);

    private static (IncidentResponder Responder, FakeTimeProvider Time) Create(IncidentOptions? options = null)
    {
        var time = new FakeTimeProvider(Start);
        return (new IncidentResponder(options, time), time);
    }

    [Theory]
    [InlineData(0.899, 0.0, 0.0, DegradationMode.StaticResponse)]
    [InlineData(0.90, 0.0, 0.0, DegradationMode.FallbackModel)]
    [InlineData(1.0, 0.201, 0.0, DegradationMode.StaticResponse)]
    [InlineData(1.0, 0.20, 0.0, DegradationMode.FallbackModel)]
    [InlineData(0.949, 0.0, 0.0, DegradationMode.FallbackModel)]
    [InlineData(0.95, 0.0, 0.0, DegradationMode.CachedOnly)]
    [InlineData(1.0, 0.101, 0.0, DegradationMode.FallbackModel)]
    [InlineData(1.0, 0.10, 0.0, DegradationMode.Normal)]
    [InlineData(1.0, 0.0, 30_001, DegradationMode.FallbackModel)]
    [InlineData(1.0, 0.0, 30_000, DegradationMode.CachedOnly)]
    [InlineData(0.979, 0.0, 0.0, DegradationMode.CachedOnly)]
    [InlineData(0.98, 0.0, 0.0, DegradationMode.Normal)]
    [InlineData(1.0, 0.0, 15_001, DegradationMode.CachedOnly)]
    [InlineData(1.0, 0.0, 15_000, DegradationMode.Normal)]
    public void Judge_EachThreshold_CallsForTheSeedsMode(double success, double hallucination, double p99Ms, DegradationMode expected)
    {
        var judgement = IncidentResponder.Judge(new IncidentSignals(100, success, hallucination, p99Ms), new IncidentOptions());

        Assert.Equal(expected, judgement.Mode);
        Assert.Equal(IncidentLabels.SeverityOf(expected), judgement.Severity);
    }

    [Fact]
    public void Judge_CrossedThresholds_NamesThemWithTheirFigures()
    {
        var judgement = IncidentResponder.Judge(new IncidentSignals(120, 0.85, 0.25), new IncidentOptions());

        Assert.Equal("success rate 85.0% < 90.0%, hallucination rate 25.0% > 20.0% over 120 calls", judgement.Reason);
    }

    [Theory]
    [InlineData(8, DegradationMode.Normal)]          // one made-up answer in eight verdicts: too little evidence
    [InlineData(20, DegradationMode.FallbackModel)]  // the minimum reached: 12.5 % > 10 % is the seed's P1
    public void Judge_HallucinationRateOfFewVerdicts_JudgedOnlyFromTheMinimum(long verdicts, DegradationMode expected)
    {
        var judgement = IncidentResponder.Judge(new IncidentSignals(300, 1.0, 0.125, 800, verdicts), new IncidentOptions { MinVerdicts = 20 });

        Assert.Equal(expected, judgement.Mode);
    }

    [Fact]
    public void Judge_CustomThresholds_AreUsed()
    {
        var options = new IncidentOptions { MediumSuccessRate = 0.999, MediumP99Latency = TimeSpan.FromSeconds(1) };

        Assert.Equal(DegradationMode.CachedOnly, IncidentResponder.Judge(new IncidentSignals(100, 0.998), options).Mode);
        Assert.Equal(DegradationMode.CachedOnly, IncidentResponder.Judge(new IncidentSignals(100, 1.0, 0, 1_500), options).Mode);
    }

    [Fact]
    public void Assess_FewerCallsThanMinimum_StaysNormal()
    {
        var (responder, _) = Create();

        var mode = responder.Assess(new IncidentSignals(3, 2.0 / 3));

        Assert.Equal(DegradationMode.Normal, mode);
        Assert.Empty(responder.Log);
        Assert.Equal(IncidentFigures0(), responder.Current);
    }

    [Fact]
    public void Assess_MinimumCallsReached_Judges()
    {
        var (responder, _) = Create(new IncidentOptions { MinRequests = 20 });

        Assert.Equal(DegradationMode.Normal, responder.Assess(new IncidentSignals(19, 0.5)));
        Assert.Equal(DegradationMode.StaticResponse, responder.Assess(new IncidentSignals(20, 0.5)));
    }

    [Fact]
    public void Assess_Degraded_EscalatesAtOnceAndLogsIt()
    {
        var (responder, time) = Create();

        var mode = responder.Assess(P1);

        Assert.Equal(DegradationMode.FallbackModel, mode);
        var entry = Assert.Single(responder.Log);
        Assert.Equal(new IncidentLogEntry(time.GetUtcNow(), IncidentAction.Escalate, IncidentSeverity.P1, DegradationMode.FallbackModel,
            DegradationMode.Normal, "success rate 93.0% < 95.0% over 100 calls"), entry);
        Assert.Equal(new Vigil.Reports.IncidentFigures("fallback_model", time.GetUtcNow(), entry.Reason), responder.Current);
    }

    [Fact]
    public void Assess_WorseOnlyAsOldCallsAgeOut_HoldsTheMode()
    {
        var (responder, time) = Create(new IncidentOptions { MinRequests = 20 });
        responder.Assess(P1 with { CallsSeen = 1000 }, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(60));

        // Degraded answers stay out of the window: it now holds only the outage's first calls, and no new ones.
        var stale = responder.Assess(P0 with { CallsSeen = 1010 }, time.GetUtcNow());
        var fresh = responder.Assess(P0 with { CallsSeen = 1020 }, time.GetUtcNow());

        Assert.Equal(DegradationMode.FallbackModel, stale);
        Assert.Equal(DegradationMode.StaticResponse, fresh);
        Assert.Equal(2, responder.Log.Count);
    }

    [Fact]
    public void Assess_WorseThanCurrent_EscalatesFurtherAtOnce()
    {
        var (responder, time) = Create();
        responder.Assess(P2);
        time.Advance(TimeSpan.FromSeconds(10));

        var mode = responder.Assess(P0);

        Assert.Equal(DegradationMode.StaticResponse, mode);
        Assert.Equal([DegradationMode.CachedOnly, DegradationMode.StaticResponse], responder.Log.Select(e => e.Mode));
        Assert.Equal(DegradationMode.CachedOnly, responder.Log[1].FromMode);
        Assert.Equal(IncidentSeverity.P0, responder.Log[1].Severity);
    }

    [Fact]
    public void Assess_HealthyShorterThanHold_StaysDegraded()
    {
        var (responder, time) = Create();
        responder.Assess(P1);

        for (var i = 0; i < 9; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(DegradationMode.FallbackModel, responder.Assess(Healthy));
        }

        Assert.Single(responder.Log);
    }

    [Fact]
    public void Assess_HealthyForHold_RecoversToNormal()
    {
        var (responder, time) = Create();
        responder.Assess(P1);
        responder.Assess(Healthy); // healthy from here
        time.Advance(TimeSpan.FromMinutes(5));

        var mode = responder.Assess(Healthy);

        Assert.Equal(DegradationMode.Normal, mode);
        var recovery = responder.Log[^1];
        Assert.Equal(IncidentAction.Recover, recovery.Action);
        Assert.Equal(DegradationMode.FallbackModel, recovery.FromMode);
        Assert.Equal(DegradationMode.Normal, recovery.Mode);
        Assert.Null(recovery.Severity);
        Assert.Equal("normal", responder.Current.Mode);
        Assert.Equal(time.GetUtcNow(), responder.Current.Since);
    }

    [Fact]
    public void Assess_LighterButNotHealthyForHold_StepsDownToTheDeepestModeCalledFor()
    {
        var (responder, time) = Create();
        responder.Assess(P0);
        responder.Assess(Healthy);
        time.Advance(TimeSpan.FromMinutes(2));
        responder.Assess(P2);
        time.Advance(TimeSpan.FromMinutes(3));

        var mode = responder.Assess(Healthy);

        Assert.Equal(DegradationMode.CachedOnly, mode);
        Assert.Equal(IncidentAction.Recover, responder.Log[^1].Action);
        Assert.Equal(IncidentSeverity.P2, responder.Log[^1].Severity);
    }

    [Fact]
    public void Assess_SignalFlappingEvery30Seconds_ChangesModeAtMostOncePerHold()
    {
        var (responder, time) = Create();
        var changes = new List<DateTimeOffset>();
        var last = DegradationMode.Normal;

        for (var i = 0; i < 120; i++) // an hour
        {
            var mode = responder.Assess(i % 2 == 0 ? P1 : Healthy);
            if (mode != last)
            {
                changes.Add(time.GetUtcNow());
                last = mode;
            }

            time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Single(changes); // escalated once; never held healthy for 5 minutes
        Assert.Single(responder.Log);
    }

    [Fact]
    public void Assess_FlappingBetweenTwoDegradedLevels_ChangesModeAtMostOncePerHold()
    {
        var (responder, time) = Create(new IncidentOptions { HoldPeriod = TimeSpan.FromMinutes(5) });
        var entries = new List<IncidentLogEntry>();

        for (var i = 0; i < 120; i++)
        {
            responder.Assess(i % 2 == 0 ? P0 : P2);
            time.Advance(TimeSpan.FromSeconds(30));
        }

        entries.AddRange(responder.Log);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.True(entries[i].Timestamp - entries[i - 1].Timestamp >= TimeSpan.FromMinutes(5));
        }

        Assert.Equal(DegradationMode.StaticResponse, responder.Mode);
    }

    [Fact]
    public void Assess_ZeroHoldPeriod_StepsDownAtOnce()
    {
        var (responder, _) = Create(new IncidentOptions { HoldPeriod = TimeSpan.Zero });
        responder.Assess(P1);

        Assert.Equal(DegradationMode.Normal, responder.Assess(Healthy));
    }

    [Fact]
    public void Override_SetsModeTheResponderDoesNotUndo()
    {
        var (responder, time) = Create();

        responder.Override(DegradationMode.Disabled, "provider outage, INC-7");
        time.Advance(TimeSpan.FromHours(1));
        var mode = responder.Assess(Healthy);

        Assert.Equal(DegradationMode.Disabled, mode);
        Assert.True(responder.IsOverridden);
        var entry = Assert.Single(responder.Log);
        Assert.Equal(new IncidentLogEntry(Start, IncidentAction.Override, IncidentSeverity.P0, DegradationMode.Disabled,
            DegradationMode.Normal, "provider outage, INC-7", Manual: true), entry);
        Assert.Equal(new Vigil.Reports.IncidentFigures("disabled", Start, "provider outage, INC-7"), responder.Current);
    }

    [Fact]
    public void Override_NormalDuringIncident_HoldsAgainstBadSignals()
    {
        var (responder, _) = Create();
        responder.Assess(P0);

        responder.Override(DegradationMode.Normal, "false alarm");

        Assert.Equal(DegradationMode.Normal, responder.Assess(P0));
    }

    [Fact]
    public void Release_AfterOverride_ReturnsControlWithHysteresis()
    {
        var (responder, time) = Create();
        responder.Override(DegradationMode.StaticResponse, "drill");

        Assert.True(responder.Release("drill over"));
        Assert.False(responder.IsOverridden);
        Assert.Equal("override released: drill over", responder.Log[^1].Reason);
        Assert.Equal(DegradationMode.StaticResponse, responder.Assess(Healthy));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(DegradationMode.Normal, responder.Assess(Healthy));
    }

    [Fact]
    public void Release_AfterOverride_EscalatesAtOnceWhenWorse()
    {
        var (responder, _) = Create();
        responder.Override(DegradationMode.Normal, "ignore");
        responder.Release();

        Assert.Equal(DegradationMode.FallbackModel, responder.Assess(P1));
    }

    [Fact]
    public void Release_WithoutOverride_DoesNothing()
    {
        var (responder, _) = Create();

        Assert.False(responder.Release());
        Assert.Empty(responder.Log);
    }

    [Fact]
    public void Log_MoreChangesThanMax_KeepsTheNewest()
    {
        var (responder, time) = Create(new IncidentOptions { MaxLogEntries = 3 });

        for (var i = 0; i < 5; i++)
        {
            responder.Override(DegradationMode.CachedOnly, $"r{i}");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["r2", "r3", "r4"], responder.Log.Select(e => e.Reason));
    }

    [Fact]
    public void Current_NormalFromStart_HasNoSinceOrReason()
    {
        var (responder, _) = Create();

        Assert.Equal(IncidentFigures0(), responder.Current);
    }

    private static Vigil.Reports.IncidentFigures IncidentFigures0() => Vigil.Reports.IncidentFigures.Normal;
}
