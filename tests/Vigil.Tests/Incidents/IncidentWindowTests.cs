using Microsoft.Extensions.Time.Testing;
using Vigil.Incidents;
using Vigil.Records;

namespace Vigil.Tests.Incidents;

public sealed class IncidentWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 5, 0, 0, TimeSpan.Zero);

    private static InteractionRecord Call(InteractionStatus status, Degradation degradation = Degradation.None, DateTimeOffset? at = null) => new()
    {
        TraceId = Guid.NewGuid().ToString("N"),
        Timestamp = at ?? Now,
        Model = "gpt-4.1-mini",
        Status = status,
        LatencyMs = 100,
        Degradation = degradation,
    };

    [Fact]
    public void OnInteraction_DegradedAnswers_AreLeftOut()
    {
        var window = new IncidentWindow(new IncidentOptions(), new FakeTimeProvider(Now));

        window.OnInteraction(Call(InteractionStatus.Success), restored: false);
        window.OnInteraction(Call(InteractionStatus.Error), restored: true);
        window.OnInteraction(Call(InteractionStatus.Success, Degradation.ModelFallback), restored: false);
        window.OnInteraction(Call(InteractionStatus.Success, Degradation.CacheFallback), restored: false);
        window.OnInteraction(Call(InteractionStatus.Success, Degradation.DefaultResponse), restored: false);

        var signals = window.Signals();
        Assert.Equal(2, signals.Requests);
        Assert.Equal(0.5, signals.SuccessRate);
    }

    [Fact]
    public void OnInteraction_AnswersFromTheAppsCache_AreLeftOutButMissesCount()
    {
        var window = new IncidentWindow(new IncidentOptions(), new FakeTimeProvider(Now));

        window.OnInteraction(Call(InteractionStatus.Error) with { Cache = CacheOutcome.Miss }, restored: false);
        window.OnInteraction(Call(InteractionStatus.Success) with { Cache = CacheOutcome.Hit }, restored: false);
        window.OnInteraction(Call(InteractionStatus.Success) with { Cache = CacheOutcome.Hit }, restored: false);

        var signals = window.Signals();
        Assert.Equal(1, signals.Requests);
        Assert.Equal(0.0, signals.SuccessRate);
        Assert.Equal(1, signals.CallsSeen);
    }

    [Fact]
    public void Signals_WindowPassed_HoldsNoCalls()
    {
        var time = new FakeTimeProvider(Now);
        var window = new IncidentWindow(new IncidentOptions { Window = TimeSpan.FromSeconds(5) }, time);
        window.OnInteraction(Call(InteractionStatus.Error), restored: false);

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(0, window.Signals().Requests);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(300)]
    [InlineData(86400)]
    public void Constructor_AnyValidWindow_CoversExactlyThatLength(int seconds)
    {
        var window = new IncidentWindow(new IncidentOptions { Window = TimeSpan.FromSeconds(seconds) }, new FakeTimeProvider(Now));

        Assert.Equal(TimeSpan.FromSeconds(seconds), window.Window.Length);
    }
}
