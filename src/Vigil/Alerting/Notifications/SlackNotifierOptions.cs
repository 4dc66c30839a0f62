namespace Vigil.Alerting.Notifications;

/// <summary>Slack (<c>Vigil:Alerting:Slack</c>): an incoming webhook taking the seed's Block Kit message.</summary>
public sealed class SlackNotifierOptions
{
    /// <summary>The incoming webhook URL (<c>https://hooks.slack.com/services/…</c>). Null or empty (the default): Slack is off. A secret: never logged.</summary>
    public string? WebhookUrl { get; set; }
}
