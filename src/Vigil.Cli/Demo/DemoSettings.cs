namespace Vigil.Cli.Demo;

/// <summary>What <c>vigil demo</c> runs: where, for how long, how fast, with which dice and story.</summary>
/// <param name="Urls">Where the collector listens (the page, <c>/metrics</c>, the API).</param>
/// <param name="DataDirectory">The embedded store's directory.</param>
/// <param name="Duration">How long the customers keep coming.</param>
/// <param name="Rate">Customers per second.</param>
/// <param name="Seed">The dice: the same seed gives the same run.</param>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Timeline">The scenario's timeline.</param>
internal sealed record DemoSettings(string Urls, string DataDirectory, TimeSpan Duration, double Rate, int Seed, string Scenario, DemoTimeline Timeline)
{
    /// <summary>Calls in the whole run.</summary>
    public long TotalCalls => Math.Max(1, (long)Math.Round(Duration.TotalSeconds * Rate));

    /// <summary>
    /// The collector's settings for the demo, scaled to the run so the story fits any duration; the user's own
    /// configuration (environment, appsettings.json) wins over them. The responder judges a window of 0.4 of the run
    /// and holds 0.2 before stepping down (2 min and 1 min in five minutes: it falls back early in the outage, and is
    /// back to normal after it, before the hallucination spike), and judges once it holds five seconds of calls (and the hallucination rate once it holds 25 seconds of verdicts). Its cache-only step
    /// (the seed's P2 at 98 %) is folded into the fallback step: the agent's cache holds only the frequent questions, so
    /// under <c>cached_only</c> most customers would get the static reply while the fallback model can answer them.
    /// The judge samples a fifth of the calls at random (not the disliked ones besides, which would tilt the rates); the quality drift's reference is the first quarter of the run's verdicts
    /// and its detection window the last twelfth, so the hallucination spike shows; the budget makes the cost spike
    /// stand out against it.
    /// </summary>
    public Dictionary<string, string?> CollectorDefaults(Uri judge) => new()
    {
        ["Vigil:Server:JudgeEndpoint"] = judge.ToString(),
        ["Vigil:Server:JudgeModel"] = "judge-simulated",
        ["Vigil:OnlineEvaluation:EvaluateDisliked"] = "false",
        ["Vigil:OnlineEvaluation:SampleRate"] = JudgeSampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Vigil:Incidents:Window"] = Scaled(0.4, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)),
        ["Vigil:Incidents:HoldPeriod"] = Scaled(0.2, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(30)),
        ["Vigil:Incidents:AssessInterval"] = Scaled(1 / 60.0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
        ["Vigil:Incidents:MinRequests"] = Count(Rate * 5, 20, 1000),
        ["Vigil:Incidents:MediumSuccessRate"] = "0.95",
        ["Vigil:Incidents:MinVerdicts"] = Count(Rate * JudgeSampleRate * 25, 20, 1000),
        ["Vigil:QualityDrift:ReferenceSize"] = Count(Verdicts * 0.25, 50, 1000),
        ["Vigil:QualityDrift:DetectionSize"] = Count(Verdicts / 12, 20, 100),
        ["Vigil:Signals:MonthlyBudgetUsd"] = "30000",
        ["Vigil:EmbeddingDrift:Interval"] = Scaled(0.1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)),
        ["Vigil:EmbeddingDrift:ReferenceSize"] = "200",
        ["Vigil:EmbeddingDrift:CurrentSize"] = "200",
    };

    // The verdicts the judge gives in the run at its sample rate.
    private double Verdicts => TotalCalls * JudgeSampleRate;

    private const double JudgeSampleRate = 0.2;

    private static string Count(double value, int min, int max) =>
        Math.Clamp((int)Math.Round(value), min, max).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Scaled(double share, TimeSpan min, TimeSpan max) =>
        TimeSpan.FromTicks(Math.Clamp((long)(Duration.Ticks * share), min.Ticks, max.Ticks)).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
