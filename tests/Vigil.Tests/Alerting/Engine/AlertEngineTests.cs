using Microsoft.Extensions.Time.Testing;
using Vigil.Alerting;
using Vigil.Alerting.Engine;
using Vigil.Reports;

namespace Vigil.Tests.Alerting.Engine;

public sealed class AlertEngineTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddDays(100);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingSink _sink = new();

    private sealed class RecordingSink : IAlertStateChangeSink
    {
        public List<AlertStateChange> Changes { get; } = [];

        public void Publish(AlertStateChange change) => Changes.Add(change);
    }

    private AlertEngine EngineWith(Func<bool> holds, TimeSpan hold, out AlertRule rule)
    {
        rule = new AlertRule(
            "TestAlert", "test", "vector(1) > 0", _ => holds() ? AlertVector.Of(0.25) : AlertVector.Empty, 0, hold, AlertSeverity.High,
            "Test summary", "Value {{ $value | humanizePercentage }}");
        return new AlertEngine(new SignalHistory(_time), [], _time, _sink, [rule]);
    }

    [Fact]
    public void Evaluate_ConditionHoldsShorterThanFor_IsPendingAndNotPublished()
    {
        var engine = EngineWith(() => true, TimeSpan.FromMinutes(2), out _);

        engine.Evaluate();
        _time.Advance(TimeSpan.FromMinutes(1));
        engine.Evaluate();

        var alert = Assert.Single(engine.Active);
        Assert.Equal("pending", alert.State);
        Assert.Equal(Start, alert.Since);
        Assert.Empty(_sink.Changes);
    }

    [Fact]
    public void Evaluate_ConditionHeldForFor_FiresOnceWithSinceOfFirstTrueEvaluation()
    {
        var engine = EngineWith(() => true, TimeSpan.FromMinutes(2), out var rule);

        for (var i = 0; i <= 4; i++)
        {
            engine.Evaluate();
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var alert = Assert.Single(engine.Active);
        Assert.Equal("firing", alert.State);
        Assert.Equal(Start, alert.Since);
        Assert.Equal(0.25, alert.Value);
        Assert.Equal("high", alert.Severity);
        Assert.Equal("deploy/runbooks/TestAlert.md", alert.RunbookUrl);
        var change = Assert.Single(_sink.Changes);
        Assert.Equal(AlertStatus.Firing, change.Status);
        Assert.Equal(Start, change.StartsAt);
        Assert.Null(change.EndsAt);
        Assert.Equal("vigil", change.Source);
        Assert.Matches("^[0-9a-f]{16}$", change.Fingerprint);
        Assert.Equal(rule.Name, change.Labels["alertname"]);
        Assert.Equal("Value 25%", change.Annotations["description"]);
    }

    [Fact]
    public void Evaluate_ForZero_FiresAtTheFirstTrueEvaluation()
    {
        var engine = EngineWith(() => true, TimeSpan.Zero, out _);

        engine.Evaluate();

        Assert.Equal("firing", Assert.Single(engine.Active).State);
        Assert.Single(_sink.Changes);
    }

    [Fact]
    public void Evaluate_FiringConditionStops_PublishesResolvedWithTheSameFingerprint()
    {
        var holds = true;
        var engine = EngineWith(() => holds, TimeSpan.Zero, out _);
        engine.Evaluate();
        _time.Advance(TimeSpan.FromMinutes(3));
        holds = false;

        engine.Evaluate();

        Assert.Empty(engine.Active);
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], _sink.Changes.Select(c => c.Status));
        Assert.Equal(_sink.Changes[0].Fingerprint, _sink.Changes[1].Fingerprint);
        Assert.Equal(Start.AddMinutes(3), _sink.Changes[1].EndsAt);
    }

    [Fact]
    public void Evaluate_PendingConditionStops_GoesWithoutNotification()
    {
        var holds = true;
        var engine = EngineWith(() => holds, TimeSpan.FromMinutes(5), out _);
        engine.Evaluate();
        holds = false;
        _time.Advance(TimeSpan.FromMinutes(1));

        engine.Evaluate();

        Assert.Empty(engine.Active);
        Assert.Empty(_sink.Changes);
    }

    [Fact]
    public void Restore_FiringAlertStillHolding_StaysFiringWithItsSinceAndIsNotPublishedAgain()
    {
        var first = EngineWith(() => true, TimeSpan.Zero, out _);
        first.Evaluate();
        var saved = first.Snapshot();
        _sink.Changes.Clear();
        _time.Advance(TimeSpan.FromMinutes(10));
        var restarted = EngineWith(() => true, TimeSpan.Zero, out _);

        restarted.Restore(saved);
        restarted.Evaluate();

        var alert = Assert.Single(restarted.Active);
        Assert.Equal("firing", alert.State);
        Assert.Equal(Start, alert.Since);
        Assert.Empty(_sink.Changes);
    }

    [Fact]
    public void Restore_FiringAlertNoLongerHolding_IsResolvedAtTheFirstEvaluation()
    {
        var first = EngineWith(() => true, TimeSpan.Zero, out _);
        first.Evaluate();
        var saved = first.Snapshot();
        _sink.Changes.Clear();
        var restarted = EngineWith(() => false, TimeSpan.Zero, out _);

        restarted.Restore(saved);
        restarted.Evaluate();

        Assert.Empty(restarted.Active);
        Assert.Equal(AlertStatus.Resolved, Assert.Single(_sink.Changes).Status);
    }

    [Fact]
    public void Evaluate_WholeCatalogWithoutTraffic_NoRuleFiresOrPends()
    {
        var history = new SignalHistory(_time);
        var engine = new AlertEngine(history, [new BudgetGauge(new SignalOptions())], _time, _sink);

        for (var i = 0; i < 10; i++)
        {
            engine.Evaluate();
            _time.Advance(TimeSpan.FromMinutes(30));
        }

        Assert.Equal(AlertRuleCatalog.Rules.Count, engine.Rules.Count);
        Assert.Empty(engine.Active);
        Assert.Empty(_sink.Changes);
    }

    [Fact]
    public void Evaluate_AllRequestsFailing_SuccessRateAndFastBurnGoPendingThenFire()
    {
        var history = new SignalHistory(_time);
        var observer = new AlertSignalObserver(history, _time);
        var engine = new AlertEngine(history, [], _time, _sink);

        for (var second = 0; second <= 180; second += 10)
        {
            observer.OnInteraction(Records.Interaction(_time.GetUtcNow(), Vigil.Records.InteractionStatus.Error), restored: false);
            engine.Evaluate();
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(
            ["LLMAvailabilityBudgetBurnFast", "LLMSuccessRateCritical"],
            _sink.Changes.Where(c => c.Status == AlertStatus.Firing).Select(c => c.Name).Order());
        Assert.Equal(
            [("LLMAvailabilityBudgetBurnFast", "firing"), ("LLMSuccessRateCritical", "firing")],
            engine.Active.Where(a => a.Severity == "critical").Select(a => (a.Name, a.State)).Order());
    }

    [Fact]
    public void Active_SeveralSources_SortedBySeverityThenName()
    {
        var a = new FixedSource([Figures("B", "warning"), Figures("Z", "critical")]);
        var b = new FixedSource([Figures("A", "warning"), Figures("Y", "info"), Figures("C", "high")]);

        var all = new ActiveAlerts([a, b]).All();

        Assert.Equal(["Z", "C", "A", "B", "Y"], all.Select(x => x.Name));
    }

    private static AlertFigures Figures(string name, string severity) =>
        new(name, severity, "firing", Start, 1, new Dictionary<string, string>(), "s", null);

    private sealed class FixedSource(IReadOnlyList<AlertFigures> alerts) : IActiveAlertSource
    {
        public IReadOnlyList<AlertFigures> Active => alerts;
    }
}
