using System.Text.Json;
using Vigil.Alerting.Notifications;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>The generic webhook's body, read back as Alertmanager's webhook version 4.</summary>
public sealed class AlertmanagerWebhookMessageTests
{
    [Fact]
    public void Build_Firing_AlertmanagerV4WithZeroEndsAt()
    {
        var firing = AlertChanges.Firing();

        using var body = JsonDocument.Parse(AlertmanagerWebhookMessage.Build(firing).ToJsonString());

        var root = body.RootElement;
        Assert.Equal(["version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("4", root.GetProperty("version").GetString());
        Assert.Equal("{}:{alertname=\"LLMSuccessRateCritical\"}", root.GetProperty("groupKey").GetString());
        Assert.Equal(0, root.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal("vigil", root.GetProperty("receiver").GetString());
        Assert.Equal("LLMSuccessRateCritical", root.GetProperty("groupLabels").GetProperty("alertname").GetString());
        Assert.Equal("critical", root.GetProperty("commonLabels").GetProperty("severity").GetString());
        var alert = Assert.Single(root.GetProperty("alerts").EnumerateArray());
        Assert.Equal(["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"], alert.EnumerateObject().Select(p => p.Name));
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal("LLMSuccessRateCritical", alert.GetProperty("labels").GetProperty("alertname").GetString());
        Assert.Equal("ai-platform", alert.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal("LLM API success rate below 95%", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Equal("https://runbooks.example.com/LLMSuccessRateCritical.md", alert.GetProperty("annotations").GetProperty("runbook_url").GetString());
        Assert.Equal("2026-01-05T08:58:00Z", alert.GetProperty("startsAt").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", alert.GetProperty("endsAt").GetString());
        Assert.Equal(firing.Fingerprint, alert.GetProperty("fingerprint").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 58, 0, TimeSpan.Zero), alert.GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public void Build_Resolved_StatusResolvedAndEndsAt()
    {
        using var body = JsonDocument.Parse(AlertmanagerWebhookMessage.Build(AlertChanges.Resolved(AlertChanges.Firing())).ToJsonString());

        Assert.Equal("resolved", body.RootElement.GetProperty("status").GetString());
        var alert = body.RootElement.GetProperty("alerts")[0];
        Assert.Equal("resolved", alert.GetProperty("status").GetString());
        Assert.Equal("2026-01-05T09:20:00Z", alert.GetProperty("endsAt").GetString());
    }
}
