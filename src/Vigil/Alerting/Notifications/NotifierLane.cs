using System.Threading.Channels;

namespace Vigil.Alerting.Notifications;

/// <summary>A notifier's bounded queue and the task that delivers from it, in order.</summary>
internal sealed class NotifierLane(Notifier notifier, int capacity)
{
    private int _full;

    public Notifier Notifier { get; } = notifier;

    public Channel<AlertStateChange> Queue { get; } = Channel.CreateBounded<AlertStateChange>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the change is dropped, never waited for
        SingleReader = true,
        SingleWriter = false,
    });

    public Task Pump { get; set; } = Task.CompletedTask;

    /// <summary>True the first time the queue is found full since it last had room (to log once per episode).</summary>
    public bool MarkFull() => Interlocked.Exchange(ref _full, 1) == 0;

    public void MarkRoom() => Volatile.Write(ref _full, 0);
}
