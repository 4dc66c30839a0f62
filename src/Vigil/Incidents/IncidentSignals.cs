namespace Vigil.Incidents;

/// <summary>The figures the incident responder judges, over its recent window.</summary>
/// <param name="Requests">Calls in the window.</param>
/// <param name="SuccessRate">Share of successful calls, 0–1.</param>
/// <param name="HallucinationRate">Share of judged answers that hallucinated, 0–1 (0 when none was judged).</param>
/// <param name="P99Milliseconds">99th percentile of the call latency, in milliseconds (0 when unknown).</param>
public sealed record IncidentSignals(long Requests, double SuccessRate, double HallucinationRate = 0, double P99Milliseconds = 0);
