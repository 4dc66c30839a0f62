using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Vigil.Sinks;

/// <summary>
/// The retries of Vigil's outgoing deliveries (the collector sink's batches, the notifiers' messages): without a count
/// limit, exponential with jitter from <c>delay</c> up to <c>maxDelay</c>, obeying a server's <c>Retry-After</c> but no
/// longer than <c>maxRetryAfter</c>. 5xx, 408, 429, connection failures and attempt timeouts are retried
/// (<see cref="HttpRetryStrategyOptions"/>' default); other 4xx are not. What bounds the whole is the caller's
/// (a buffer, a total timeout).
/// </summary>
internal static class PatientRetry
{
    public static HttpRetryStrategyOptions Options(TimeSpan delay, TimeSpan maxDelay, TimeSpan maxRetryAfter)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = delay,
            MaxDelay = maxDelay,
            ShouldRetryAfterHeader = true,
        };
        var retryAfter = retry.DelayGenerator!;
        retry.DelayGenerator = async args =>
        {
            var wait = await retryAfter(args).ConfigureAwait(false);
            return wait > maxRetryAfter ? maxRetryAfter : wait;
        };
        return retry;
    }
}
