namespace Vigil.Alerting.Notifications;

/// <summary>PagerDuty (<c>Vigil:Alerting:PagerDuty</c>): Events API v2, trigger and resolve.</summary>
public sealed class PagerDutyNotifierOptions
{
    /// <summary>PagerDuty's Events API v2 endpoint.</summary>
    public const string DefaultUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The integration's routing key. Null or empty (the default): PagerDuty is off. A secret: never logged.</summary>
    public string? RoutingKey { get; set; }

    /// <summary>Where events are posted. Default <see cref="DefaultUrl"/>.</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>
    /// The least severe alert that pages. Default <see cref="AlertSeverity.High"/>: the seed's §7.1 pages for P0 and P1
    /// and sends P2 and P3 to Slack only.
    /// </summary>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.High;
}
