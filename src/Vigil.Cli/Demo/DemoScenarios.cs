namespace Vigil.Cli.Demo;

/// <summary>The timelines <c>vigil demo --scenario NAME</c> can run.</summary>
internal static class DemoScenarios
{
    /// <summary>The scenario run when none is named.</summary>
    public const string DefaultName = "incident";

    private static readonly Dictionary<string, (DemoTimeline Timeline, string Description)> All = new(StringComparer.OrdinalIgnoreCase)
    {
        [DefaultName] = (DemoTimeline.Default,
            "the whole story: a provider outage (alerts fire, the responder falls back and recovers), a hallucination spike, a cost spike"),
        ["outage"] = (new DemoTimeline(
        [
            new("steady traffic", 0.03),
            new("provider outage: 5xx and 429 bursts", 0.50, ErrorRate: 0.09, FallbackErrorRate: 0.07, RateLimitShare: 0.4, LatencyFactor: 2),
            new("recovery", 1.0),
        ]), "only the provider outage"),
        ["quality"] = (new DemoTimeline(
        [
            new("steady traffic", 0.40),
            new("hallucination spike", 0.80, HallucinationRate: 0.12, RefusalRate: 0.02),
            new("steady traffic", 1.0),
        ]), "only a hallucination spike the judge and the drift detectors catch"),
        ["steady"] = (new DemoTimeline([new("steady traffic", 1.0)]), "a calm day: nothing goes wrong"),
    };

    /// <summary>The names, the default first.</summary>
    public static IEnumerable<string> Names => All.Keys;

    /// <summary>A one-line description of each scenario.</summary>
    public static string Describe() => string.Join("; ", All.Select(s => $"{s.Key}: {s.Value.Description}"));

    /// <summary>The timeline of <paramref name="name"/>; false when there is none of that name.</summary>
    public static bool TryGet(string name, out DemoTimeline timeline)
    {
        var found = All.TryGetValue(name, out var scenario);
        timeline = found ? scenario.Timeline : DemoTimeline.Default;
        return found;
    }
}
