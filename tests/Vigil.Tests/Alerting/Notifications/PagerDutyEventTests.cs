using Vigil.Alerting;
using Vigil.Alerting.Notifications;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>PagerDuty Events API v2: trigger and resolve with one dedup_key, severity mapped, the runbook linked.</summary>
public sealed class PagerDutyEventTests
{
    private const string RoutingKey = "R0123456789abcdef0123456789abcdef";

    [Fact]
    public void Build_FiringThenResolved_TriggerAndResolveWithTheSameDedupKey()
    {
        var firing = AlertChanges.Firing();

        var trigger = PagerDutyEvent.Build(firing, RoutingKey);
        var resolve = PagerDutyEvent.Build(AlertChanges.Resolved(firing), RoutingKey);

        Assert.Equal("trigger", trigger["event_action"]!.GetValue<string>());
        Assert.Equal("resolve", resolve["event_action"]!.GetValue<string>());
        Assert.Equal(firing.Fingerprint, trigger["dedup_key"]!.GetValue<string>());
        Assert.Equal(firing.Fingerprint, resolve["dedup_key"]!.GetValue<string>());
        Assert.Equal(RoutingKey, trigger["routing_key"]!.GetValue<string>());
        var payload = trigger["payload"]!;
        Assert.Equal("[P0] LLM API success rate below 95%", payload["summary"]!.GetValue<string>());
        Assert.Equal("vigil", payload["source"]!.GetValue<string>());
        Assert.Equal("2026-01-05T08:58:00Z", payload["timestamp"]!.GetValue<string>());
        Assert.Equal(0.912, payload["custom_details"]!["value"]!.GetValue<double>());
        Assert.Equal("ai-platform", payload["custom_details"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("2026-01-05T09:20:00Z", resolve["payload"]!["timestamp"]!.GetValue<string>());
        Assert.Equal("https://runbooks.example.com/LLMSuccessRateCritical.md", trigger["links"]![0]!["href"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(AlertSeverity.Critical, "critical")]
    [InlineData(AlertSeverity.High, "error")]
    [InlineData(AlertSeverity.Warning, "warning")]
    [InlineData(AlertSeverity.Info, "info")]
    public void Build_Severity_MappedToPagerDuty(AlertSeverity severity, string expected)
    {
        var trigger = PagerDutyEvent.Build(AlertChanges.Firing(severity: severity), RoutingKey);

        Assert.Equal(expected, trigger["payload"]!["severity"]!.GetValue<string>());
    }

    [Fact]
    public void Build_RelativeRunbookAndInstanceLabel_NoLinkAndInstanceAsSource()
    {
        var change = AlertChanges.Firing(runbookUrl: "runbooks/X.md", extraLabels: new Dictionary<string, string> { ["instance"] = "api-7:8080" });

        var trigger = PagerDutyEvent.Build(change, RoutingKey);

        Assert.Null(trigger["links"]);
        Assert.Equal("api-7:8080", trigger["payload"]!["source"]!.GetValue<string>());
    }
}
