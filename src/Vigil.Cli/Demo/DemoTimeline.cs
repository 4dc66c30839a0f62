namespace Vigil.Cli.Demo;

/// <summary>
/// The demo's script, in fractions of the run so that it fits any <c>--duration</c>: calm; a provider outage (0.03–0.50)
/// that fails 9 % of the primary model's calls (the seed's P1: the responder falls back as the success rate crosses
/// 95 %) and 7 % of the fallback model's (rate limits as the traffic moves to it), so the success rate stays below
/// 95 % long enough for the seed's 2-minute <c>for</c> in the default five minutes and recovers before the end;
/// recovery; a hallucination spike (the judge and the quality drift catch it, below the responder's 10 %); a cost spike
/// (long answers against the budget); calm.
/// </summary>
internal sealed class DemoTimeline
{
    private readonly DemoPhase[] _phases;

    public DemoTimeline(IEnumerable<DemoPhase> phases)
    {
        _phases = [.. phases];
        if (_phases.Length == 0 || _phases[^1].Until < 1)
        {
            throw new ArgumentException("The last phase must last until the end of the run (Until = 1).", nameof(phases));
        }
    }

    /// <summary>The default five-minute story.</summary>
    public static DemoTimeline Default { get; } = new(
    [
        new("steady traffic", 0.03),
        new("provider outage: 5xx and 429 bursts", 0.50, ErrorRate: 0.09, FallbackErrorRate: 0.07, RateLimitShare: 0.4, LatencyFactor: 2),
        new("recovery", 0.70),
        new("hallucination spike", 0.85, HallucinationRate: 0.12, RefusalRate: 0.02),
        new("cost spike: long answers", 0.95, OutputTokenFactor: 6),
        new("steady traffic", 1.0),
    ]);

    /// <summary>The agent's model; an outage's errors fall on it only.</summary>
    public const string PrimaryModel = "gpt-4.1-mini";

    /// <summary>The model the responder falls back to; it stays healthy.</summary>
    public const string FallbackModel = "gpt-4.1-nano";

    /// <summary>The phases, in order.</summary>
    public IReadOnlyList<DemoPhase> Phases => _phases;

    /// <summary>The phase at <paramref name="progress"/> (0–1) of the run.</summary>
    public DemoPhase At(double progress)
    {
        foreach (var phase in _phases)
        {
            if (progress < phase.Until)
            {
                return phase;
            }
        }

        return _phases[^1];
    }
}
