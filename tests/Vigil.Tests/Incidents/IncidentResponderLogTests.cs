using Microsoft.Extensions.Time.Testing;
using Vigil.Incidents;

namespace Vigil.Tests.Incidents;

public sealed class IncidentResponderLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Logged_EveryChange_IsHandedOverInOrder()
    {
        var time = new FakeTimeProvider(Start);
        var responder = new IncidentResponder(new IncidentOptions { HoldPeriod = TimeSpan.Zero }, time);
        var handed = new List<IncidentLogEntry>();
        responder.Logged = handed.Add;

        responder.Assess(new IncidentSignals(100, 0.93));
        responder.Override(DegradationMode.Disabled, "INC-1");
        responder.Release("over");
        responder.Assess(new IncidentSignals(100, 1.0));

        Assert.Equal(responder.Log, handed);
        Assert.Equal([false, true, false, false], handed.Select(e => e.Manual));
    }

    [Fact]
    public void Restore_LastEntryAnOverride_KeepsModeSinceReasonAndManual()
    {
        var original = new IncidentResponder(null, new FakeTimeProvider(Start));
        original.Assess(new IncidentSignals(100, 0.97));
        original.Override(DegradationMode.FallbackModel, "INC-2");
        var restored = new IncidentResponder(null, new FakeTimeProvider(Start.AddHours(1)));

        restored.Restore(original.Log);

        Assert.Equal(original.State, restored.State);
        Assert.True(restored.State.Manual);
        Assert.Equal(DegradationMode.FallbackModel, restored.Assess(new IncidentSignals(100, 1.0)));
        Assert.Equal(original.Log, restored.Log);
    }

    [Fact]
    public void Restore_LastEntryARelease_KeepsTheOverridesSinceAndHandsBack()
    {
        var time = new FakeTimeProvider(Start);
        var original = new IncidentResponder(null, time);
        original.Override(DegradationMode.CachedOnly, "INC-3");
        time.Advance(TimeSpan.FromMinutes(1));
        original.Release();
        var restored = new IncidentResponder(null, new FakeTimeProvider(Start.AddHours(1)));

        restored.Restore(original.Log);

        Assert.Equal(new IncidentState(DegradationMode.CachedOnly, Start, "INC-3", false), restored.State);
        Assert.Equal(DegradationMode.StaticResponse, restored.Assess(new IncidentSignals(100, 0.5)));
    }

    [Fact]
    public void Restore_NoEntries_StaysNormal()
    {
        var responder = new IncidentResponder();

        responder.Restore([]);

        Assert.Equal(new IncidentState(DegradationMode.Normal, null, null, false), responder.State);
    }
}
