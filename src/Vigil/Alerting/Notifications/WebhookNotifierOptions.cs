namespace Vigil.Alerting.Notifications;

/// <summary>The generic webhook (<c>Vigil:Alerting:Webhook</c>): every alert state change in Alertmanager's webhook format, version 4.</summary>
public sealed class WebhookNotifierOptions
{
    /// <summary>Where to post, an absolute http(s) URL. Null or empty (the default): the webhook is off. A secret: never logged.</summary>
    public string? Url { get; set; }

    /// <summary>The least severe alert posted. Default <see cref="AlertSeverity.Info"/>: every alert.</summary>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Info;
}
