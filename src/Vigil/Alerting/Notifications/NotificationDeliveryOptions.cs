using System.ComponentModel.DataAnnotations;

namespace Vigil.Alerting.Notifications;

/// <summary>How notifications are queued and retried (<c>Vigil:Alerting:Delivery</c>), the same for every notifier.</summary>
public sealed class NotificationDeliveryOptions
{
    /// <summary>State changes queued at most per notifier; one that finds the queue full is dropped and counted. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts when the receiver gives no <c>Retry-After</c>. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest <c>Retry-After</c> obeyed; a longer one waits this long. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one attempt may take before it is abandoned and retried (a receiver that hangs). Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one notification is tried at most, attempts and waits included; then it is given up and counted
    /// <c>failed</c>. Default 10 min: an alert older than that is better read on the dashboard.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxDeliveryTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the host's shutdown waits for queued notifications to go; what is left then is dropped and counted. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
