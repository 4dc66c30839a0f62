using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// Alertmanager's webhook body, version 4 (shared/contract), for one state change: one alert, grouped by
/// <c>alertname</c>, received by <c>vigil</c>. <c>endsAt</c> is Alertmanager's zero time while the alert fires.
/// Anything that takes Alertmanager's webhook takes Vigil's.
/// </summary>
internal static class AlertmanagerWebhookMessage
{
    /// <summary>The receiver's name in every body.</summary>
    public const string Receiver = "vigil";

    /// <summary>The body as JSON.</summary>
    public static JsonObject Build(AlertStateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var status = change.Status == AlertStatus.Resolved ? "resolved" : "firing";
        var labels = Map(change.Labels);
        if (!labels.ContainsKey("alertname"))
        {
            labels["alertname"] = change.Name;
        }

        if (!labels.ContainsKey("severity"))
        {
            labels["severity"] = change.Severity.ToLabel();
        }

        var annotations = Map(change.Annotations);
        return new JsonObject
        {
            ["version"] = "4",
            ["groupKey"] = GroupKey(change.Name),
            ["truncatedAlerts"] = 0,
            ["status"] = status,
            ["receiver"] = Receiver,
            ["groupLabels"] = new JsonObject { ["alertname"] = change.Name },
            ["commonLabels"] = labels.DeepClone(),
            ["commonAnnotations"] = annotations.DeepClone(),
            ["externalURL"] = "",
            ["alerts"] = new JsonArray
            {
                new JsonObject
                {
                    ["status"] = status,
                    ["labels"] = labels,
                    ["annotations"] = annotations,
                    ["startsAt"] = AlertText.Time(change.StartsAt),
                    ["endsAt"] = change.Status == AlertStatus.Resolved && change.EndsAt is { } endsAt ? AlertText.Time(endsAt) : AlertText.ZeroTime,
                    ["generatorURL"] = "",
                    ["fingerprint"] = change.Fingerprint,
                },
            },
        };
    }

    // As Alertmanager writes it for a route grouping by alertname: "{}:{alertname=\"X\"}".
    private static string GroupKey(string name)
    {
        var escaped = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            escaped.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
        }

        return $"{{}}:{{alertname=\"{escaped}\"}}";
    }

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
