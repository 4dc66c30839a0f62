using System.Diagnostics.Metrics;
using Vigil.Metrics;

namespace Vigil.Alerting.Notifications;

/// <summary><c>vigil_notifications_total{notifier, outcome}</c>, on the <c>Vigil</c> meter.</summary>
internal sealed class NotificationMetrics
{
    /// <summary>The label naming the notifier: <c>webhook</c>, <c>slack</c> or <c>pagerduty</c>.</summary>
    public const string NotifierTag = "notifier";

    /// <summary>Delivered: the receiver answered 2xx.</summary>
    public const string Sent = "sent";

    /// <summary>Given up: refused (a 4xx other than 408 and 429), or not delivered within the delivery time.</summary>
    public const string Failed = "failed";

    /// <summary>Never tried: the queue was full, or the host stopped before it went.</summary>
    public const string Dropped = "dropped";

    private readonly Counter<long> _notifications;

    public NotificationMetrics(VigilMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _notifications = metrics.Meter.CreateCounter<long>(MetricNames.Notifications,
            description: "Alert notifications, by notifier and outcome (sent, failed, dropped).");
    }

    /// <summary>Opens the series of <paramref name="notifier"/> at 0, so that a rate over them exists before the first alert.</summary>
    public void Open(string notifier)
    {
        foreach (var outcome in (string[])[Sent, Failed, Dropped])
        {
            Count(notifier, outcome, 0);
        }
    }

    public void Count(string notifier, string outcome, long count = 1) =>
        _notifications.Add(count, new KeyValuePair<string, object?>(NotifierTag, notifier), new KeyValuePair<string, object?>(MetricTags.Outcome, outcome));
}
