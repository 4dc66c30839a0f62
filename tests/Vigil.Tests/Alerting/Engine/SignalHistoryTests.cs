using Microsoft.Extensions.Time.Testing;
using Vigil.Alerting.Engine;
using Vigil.Records;

namespace Vigil.Tests.Alerting.Engine;

public sealed class SignalHistoryTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddDays(100);

    [Fact]
    public void Increase_Window_CountsIncrementsAfterItsStartUpToItsEnd()
    {
        var time = new FakeTimeProvider(Start.AddMinutes(10));
        var history = new SignalHistory(time);
        history.Add(AlertSignals.Requests, Start.AddMinutes(5), 1); // on the window's start: outside, as in Prometheus
        history.Add(AlertSignals.Requests, Start.AddMinutes(6), 2);
        history.Add(AlertSignals.Requests, Start.AddMinutes(10), 4); // on its end: inside

        Assert.Equal(6, history.Increase(AlertSignals.Requests, Start.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.Equal(7, history.Increase(AlertSignals.Requests, Start.AddMinutes(10), TimeSpan.FromHours(1)));
        Assert.Equal(7, history.Increase(AlertSignals.Requests, Start.AddMinutes(10), TimeSpan.FromDays(3)));
    }

    [Fact]
    public void Add_FutureTimestamp_IsClampedToNow()
    {
        var time = new FakeTimeProvider(Start);
        var history = new SignalHistory(time);

        history.Add(AlertSignals.Requests, Start.AddHours(2), 1);

        Assert.Equal(1, history.Increase(AlertSignals.Requests, Start, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Increase_OlderThanTheFineRing_ComesFromTheCoarseRingUntilSevenDays()
    {
        var time = new FakeTimeProvider(Start);
        var history = new SignalHistory(time);
        history.Add(AlertSignals.CostDollars, Start, 3);

        time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(3, history.Increase(AlertSignals.CostDollars, time.GetUtcNow(), TimeSpan.FromDays(3)));
        Assert.Equal(0, history.Increase(AlertSignals.CostDollars, time.GetUtcNow(), TimeSpan.FromHours(1)));

        time.Advance(TimeSpan.FromDays(6));
        history.Add(AlertSignals.CostDollars, time.GetUtcNow(), 1);
        Assert.Equal(1, history.Increase(AlertSignals.CostDollars, time.GetUtcNow(), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void MemoryBytes_AfterAWeekOfHeavyTraffic_StaysWhatItWasEmpty()
    {
        var time = new FakeTimeProvider(Start);
        var history = new SignalHistory(time);
        var empty = history.MemoryBytes;

        for (var minute = 0; minute < 7 * 24 * 60; minute += 7)
        {
            time.Advance(TimeSpan.FromMinutes(7));
            history.Observe(AlertSignals.RequestDuration, time.GetUtcNow(), 3);
        }

        Assert.Equal(empty, history.MemoryBytes);
        Assert.InRange(empty, 100_000, 2_000_000);
    }

    [Fact]
    public void Observe_Value_CountsEveryBucketItFitsAndTheCount()
    {
        var time = new FakeTimeProvider(Start);
        var history = new SignalHistory(time);

        history.Observe(AlertSignals.RequestDuration, Start, 3);

        var window = TimeSpan.FromMinutes(5);
        Assert.Equal(1, history.Increase(AlertSignals.RequestDuration.Count, Start, window));
        Assert.Equal(0, history.Increase(AlertSignals.RequestDuration.Bucket(2), Start, window));
        Assert.Equal(1, history.Increase(AlertSignals.RequestDuration.Bucket(5), Start, window));
        Assert.Equal(1, history.Increase(AlertSignals.RequestDuration.Bucket(60), Start, window));
    }

    [Fact]
    public void Observer_Records_CountedWithTheCatalogsRules()
    {
        var time = new FakeTimeProvider(Start);
        var history = new SignalHistory(time);
        var observer = new AlertSignalObserver(history, time);

        observer.OnInteraction(Records.Interaction(Start, cost: 0.5m), restored: true);
        observer.OnInteraction(Records.Interaction(Start, InteractionStatus.Error, error: ErrorType.RateLimit), restored: false);
        observer.OnFeedback(new FeedbackRecord { TraceId = "t", Type = FeedbackType.Thumbs, Value = 1, Timestamp = Start }, restored: false);
        observer.OnFeedback(new FeedbackRecord { TraceId = "t", Type = FeedbackType.Thumbs, Value = 0, Timestamp = Start }, restored: false);
        observer.OnFeedback(new FeedbackRecord { TraceId = "t", Type = FeedbackType.Rating, Value = 5, Timestamp = Start }, restored: false);
        observer.OnEvaluation(new EvaluationRecord
        {
            TraceId = "t", JudgeModel = "j", Relevance = 1, Coherence = 1, Faithfulness = 1, Safety = 1, Overall = 1, IsHallucination = true, EvaluatedAt = Start,
        }, restored: false);

        double Of(SignalCounter c) => history.Increase(c, Start, TimeSpan.FromMinutes(1));
        Assert.Equal(2, Of(AlertSignals.Requests));
        Assert.Equal(1, Of(AlertSignals.SuccessfulRequests));
        Assert.Equal(1, Of(AlertSignals.RateLimitErrors));
        Assert.Equal(0.5, Of(AlertSignals.CostDollars));
        Assert.Equal(1, Of(AlertSignals.ThumbsUp));
        Assert.Equal(1, Of(AlertSignals.ThumbsDown));
        Assert.Equal(1, Of(AlertSignals.JudgeVerdicts));
        Assert.Equal(1, Of(AlertSignals.Hallucinations));
        Assert.Equal(2, Of(AlertSignals.RequestDuration.Count));
    }
}
