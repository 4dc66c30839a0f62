namespace Vigil.Cli.Demo;

/// <summary>
/// How the simulated provider behaves during one part of the demo's timeline: the share of calls that fail (and of
/// those, rate limits), how much slower it answers, and how often an answer is a refusal, empty or a hallucination.
/// </summary>
/// <param name="Name">What happens, as the console says it (e.g. <c>provider outage</c>).</param>
/// <param name="Until">The fraction of the run (0–1) this phase lasts until.</param>
/// <param name="ErrorRate">Share of the primary model's calls answered with an error status.</param>
/// <param name="FallbackErrorRate">Share of the fallback model's calls answered with an error status (an outage's rate limits as traffic moves to it).</param>
/// <param name="RateLimitShare">Share of those errors that are 429s (the rest 500s and 503s).</param>
/// <param name="LatencyFactor">Multiplies the normal latency.</param>
/// <param name="HallucinationRate">Share of answers with a made-up claim (the simulated judge finds it).</param>
/// <param name="RefusalRate">Share of answers that refuse.</param>
/// <param name="EmptyRate">Share of empty answers.</param>
/// <param name="OutputTokenFactor">Multiplies the answer's length (and so its cost).</param>
internal sealed record DemoPhase(
    string Name,
    double Until,
    double ErrorRate = 0.005,
    double FallbackErrorRate = 0.005,
    double RateLimitShare = 0.5,
    double LatencyFactor = 1,
    double HallucinationRate = 0.03,
    double RefusalRate = 0.01,
    double EmptyRate = 0.005,
    double OutputTokenFactor = 1);
