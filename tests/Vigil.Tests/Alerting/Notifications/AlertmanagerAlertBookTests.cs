using Vigil.Alerting;
using Vigil.Alerting.Notifications;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>The book of alerts from Alertmanager: one state change per firing and per resolve, whatever Alertmanager repeats.</summary>
public sealed class AlertmanagerAlertBookTests
{
    [Fact]
    public void Receive_FiringRepeatedThenResolvedRepeated_OneChangeEachAndActiveFollows()
    {
        var sink = new RecordingSink();
        var book = new AlertmanagerAlertBook(sink);
        var firing = AlertChanges.Firing() with { Source = "alertmanager" };

        Assert.Equal(1, book.Receive([firing]));
        Assert.Equal(0, book.Receive([firing])); // repeat_interval
        var active = Assert.Single(book.Active);
        Assert.Equal("LLMSuccessRateCritical", active.Name);
        Assert.Equal("critical", active.Severity);
        Assert.Equal("firing", active.State);
        Assert.Equal(AlertChanges.StartsAt, active.Since);
        Assert.Equal("LLM API success rate below 95%", active.Summary);
        Assert.Equal("https://runbooks.example.com/LLMSuccessRateCritical.md", active.RunbookUrl);

        var resolved = AlertChanges.Resolved(firing);
        Assert.Equal(1, book.Receive([resolved]));
        Assert.Equal(0, book.Receive([resolved]));
        Assert.Empty(book.Active);
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], sink.Changes.Select(c => c.Status));
    }

    [Fact]
    public void Receive_ResolvedNeverSeenFiring_StillNotifiedOnce()
    {
        var sink = new RecordingSink();
        var book = new AlertmanagerAlertBook(sink);
        var resolved = AlertChanges.Resolved(AlertChanges.Firing());

        Assert.Equal(1, book.Receive([resolved, resolved]));
        Assert.Single(sink.Changes);
    }

    [Fact]
    public void Receive_PastCapacity_NotifiedButNotKept()
    {
        var sink = new RecordingSink();
        var book = new AlertmanagerAlertBook(sink, capacity: 2);

        var published = book.Receive([.. Enumerable.Range(0, 3).Select(i => AlertChanges.Firing($"A{i}") with { Fingerprint = $"f{i}" })]);

        Assert.Equal(3, published);
        Assert.Equal(2, book.Active.Count);
    }

    private sealed class RecordingSink : IAlertStateChangeSink
    {
        public List<AlertStateChange> Changes { get; } = [];

        public void Publish(AlertStateChange change) => Changes.Add(change);
    }
}
