using System.Text.Json.Nodes;
using Vigil.Tests.Alerting.Notifications;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>One body a capture webhook (<see cref="CaptureServer"/>) received.</summary>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Body">The body as posted.</param>
public sealed record CapturedNotification(DateTimeOffset ReceivedAt, string Body)
{
    /// <summary>Every body <paramref name="capture"/> received, in arrival order.</summary>
    public static IReadOnlyList<CapturedNotification> Of(CaptureServer? capture) =>
        capture is null ? [] : [.. capture.Requests.Select(request => new CapturedNotification(request.At, request.Body))];

    /// <summary>Each alert of the body (Alertmanager's webhook, version 4): its <c>alertname</c>, <c>status</c> and labels.</summary>
    public IReadOnlyList<(string Name, string Status, JsonObject Labels)> Alerts
    {
        get
        {
            var root = JsonNode.Parse(Body);
            return root?["alerts"] is JsonArray alerts
                ? [.. alerts.Select(alert => (
                    alert!["labels"]?["alertname"]?.GetValue<string>() ?? string.Empty,
                    alert["status"]?.GetValue<string>() ?? string.Empty,
                    alert["labels"]?.AsObject() ?? []))]
                : [];
        }
    }
}
