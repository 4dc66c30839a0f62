using Vigil.Reports;

namespace Vigil.Incidents;

/// <summary>The figures the incident responder judges, over its recent window.</summary>
/// <param name="Requests">Calls in the window.</param>
/// <param name="SuccessRate">Share of successful calls, 0–1.</param>
/// <param name="HallucinationRate">Share of judged answers that hallucinated, 0–1 (0 when none was judged).</param>
/// <param name="P99Milliseconds">99th percentile of the call latency, in milliseconds (0 when unknown).</param>
/// <param name="Verdicts">Judged answers in the window (null: not counted, the rate is taken as it is).</param>
/// <param name="CallsSeen">Calls the window has taken since it began, aged out or not (null: unknown): tells whether calls came since a change.</param>
public sealed record IncidentSignals(long Requests, double SuccessRate, double HallucinationRate = 0, double P99Milliseconds = 0, long? Verdicts = null,
    long? CallsSeen = null)
{
    /// <summary>No calls: nothing to judge.</summary>
    public static IncidentSignals None { get; } = new(0, 1.0);

    /// <summary>
    /// The signals of all traffic in <paramref name="aggregate"/>, e.g. the snapshot of a short <c>SlidingWindow</c>
    /// (<see cref="IncidentOptions.Window"/>, default 5 minutes): calls, success rate, judges' hallucination rate, P99 latency.
    /// </summary>
    public static IncidentSignals From(SignalAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        if (!aggregate.Sla.TryGetValue(SignalAggregate.GlobalKey, out var stats) || stats.Requests <= 0)
        {
            return None with { HallucinationRate = aggregate.Quality.HallucinationRate ?? 0, Verdicts = aggregate.Quality.Evaluated };
        }

        return new IncidentSignals(
            stats.Requests,
            (double)stats.Successes / stats.Requests,
            aggregate.Quality.HallucinationRate ?? 0,
            stats.LatencyMs.Quantile(0.99) ?? 0,
            aggregate.Quality.Evaluated);
    }
}
