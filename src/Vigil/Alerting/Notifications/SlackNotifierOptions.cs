namespace Vigil.Alerting.Notifications;

/// <summary>Slack (<c>Vigil:Alerting:Slack</c>): an incoming webhook taking the seed's Block Kit message.</summary>
public sealed class SlackNotifierOptions
{
    /// <summary>The incoming webhook URL (<c>https://hooks.slack.com/services/…</c>). Null or empty (the default): Slack is off. A secret: never logged.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The least severe alert posted. Default <see cref="AlertSeverity.Info"/>: every alert (the seed sends P0 to P3 to Slack).</summary>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Info;
}
