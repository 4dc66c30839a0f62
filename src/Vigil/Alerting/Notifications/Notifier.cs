using System.Text.Json.Nodes;

namespace Vigil.Alerting.Notifications;

/// <summary>One receiver of notifications: its name (the metric's <c>notifier</c> label), where it posts, and its format.</summary>
/// <param name="Name"><c>webhook</c>, <c>slack</c> or <c>pagerduty</c>.</param>
/// <param name="Url">Where to post; a secret (it may carry a token): only its host is ever logged.</param>
/// <param name="Format">The body of one state change.</param>
/// <param name="MinSeverity">The least severe alert it takes (its firing and its resolve).</param>
internal sealed record Notifier(string Name, Uri Url, Func<AlertStateChange, JsonObject> Format, AlertSeverity MinSeverity = AlertSeverity.Info)
{
    /// <summary>The name of the generic webhook.</summary>
    public const string WebhookName = "webhook";

    /// <summary>The name of the Slack notifier.</summary>
    public const string SlackName = "slack";

    /// <summary>The name of the PagerDuty notifier.</summary>
    public const string PagerDutyName = "pagerduty";

    /// <summary>True when <paramref name="change"/> is at least as severe as <see cref="MinSeverity"/> (Critical is the most).</summary>
    public bool Takes(AlertStateChange change) => change.Severity <= MinSeverity;

    /// <summary>The receiver's host, for logs.</summary>
    public string Host { get; } = Url.Host;

    /// <summary>The notifiers whose keys are set, in a fixed order.</summary>
    public static IReadOnlyList<Notifier> Configured(NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var notifiers = new List<Notifier>();
        if (options.WebhookUri is { } webhook)
        {
            notifiers.Add(new(WebhookName, webhook, AlertmanagerWebhookMessage.Build, options.Webhook.MinSeverity));
        }

        if (options.SlackUri is { } slack)
        {
            notifiers.Add(new(SlackName, slack, SlackMessage.Build, options.Slack.MinSeverity));
        }

        if (options.PagerDutyUri is { } pagerDuty)
        {
            var routingKey = options.PagerDuty.RoutingKey!.Trim();
            notifiers.Add(new(PagerDutyName, pagerDuty, change => PagerDutyEvent.Build(change, routingKey), options.PagerDuty.MinSeverity));
        }

        return notifiers;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Host})"; // never the URL
}
