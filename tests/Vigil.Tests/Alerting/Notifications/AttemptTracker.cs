namespace Vigil.Tests.Alerting.Notifications;

/// <summary>
/// Counts the notification attempts in flight on the client side (inside the resilience handler, so each retry is one
/// attempt), so that the fake clock is moved only when no attempt is in transit: a timeout must never overtake an
/// answer on its way.
/// </summary>
public sealed class AttemptTracker
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(AttemptTracker owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._inFlight);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref owner._inFlight);
            }
        }
    }
}
