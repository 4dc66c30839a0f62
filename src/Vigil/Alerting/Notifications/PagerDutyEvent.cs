using System.Text.Json.Nodes;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// A PagerDuty Events API v2 event: <c>trigger</c> when an alert fires, <c>resolve</c> when it resolves, both with the
/// alert's fingerprint as <c>dedup_key</c> so that PagerDuty closes the incident the trigger opened. Severity maps
/// critical → critical, high → error, warning → warning, info → info.
/// </summary>
internal static class PagerDutyEvent
{
    private const int MaxSummaryLength = 1024;

    /// <summary>PagerDuty's severity for <paramref name="severity"/>.</summary>
    public static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "critical",
        AlertSeverity.High => "error",
        AlertSeverity.Warning => "warning",
        _ => "info",
    };

    /// <summary>The event's JSON body.</summary>
    public static JsonObject Build(AlertStateChange change, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(routingKey);
        var resolved = change.Status == AlertStatus.Resolved;
        var details = new JsonObject
        {
            ["alertname"] = change.Name,
            ["status"] = resolved ? "resolved" : "firing",
            ["priority"] = change.Severity.ToPriority(),
            ["value"] = change.Value is { } v && double.IsFinite(v) ? v : null,
            ["description"] = AlertText.Description(change),
            ["starts_at"] = AlertText.Time(change.StartsAt),
            ["ends_at"] = change.EndsAt is { } end ? AlertText.Time(end) : null,
            ["labels"] = Map(change.Labels),
            ["origin"] = change.Source,
        };
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = resolved ? "resolve" : "trigger",
            ["dedup_key"] = change.Fingerprint,
            ["client"] = "Vigil",
            ["payload"] = new JsonObject
            {
                ["summary"] = AlertText.Truncate($"[{change.Severity.ToPriority()}] {AlertText.Summary(change)}", MaxSummaryLength),
                ["source"] = Source(change),
                ["severity"] = Severity(change.Severity),
                ["timestamp"] = AlertText.Time(resolved && change.EndsAt is { } ended ? ended : change.StartsAt),
                ["class"] = change.Name,
                ["custom_details"] = details,
            },
        };
        if (AlertText.AbsoluteRunbookUrl(change) is { } runbook)
        {
            body["links"] = new JsonArray { new JsonObject { ["href"] = runbook, ["text"] = "Runbook" } };
        }

        return body;
    }

    // "The unique location of the affected system": the series' instance or job when it has one.
    private static string Source(AlertStateChange change) =>
        change.Labels.TryGetValue("instance", out var instance) && !string.IsNullOrWhiteSpace(instance) ? instance
        : change.Labels.TryGetValue("job", out var job) && !string.IsNullOrWhiteSpace(job) ? job
        : "vigil";

    private static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json;
    }
}
