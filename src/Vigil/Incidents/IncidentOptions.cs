using System.ComponentModel.DataAnnotations;

namespace Vigil.Incidents;

/// <summary>
/// How the incident responder judges its signals and changes mode. Bound from <c>Vigil:Incidents</c>.
/// The thresholds are the seed's (§9): P0 → <c>static_response</c>, P1 → <c>fallback_model</c>, P2 → <c>cached_only</c>.
/// </summary>
public sealed class IncidentOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Incidents";

    /// <summary>The recent window the signals are taken over. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the responder judges its window. Default 5 seconds, so a crossed threshold escalates within 10 seconds
    /// (the seed's loop checks every 60).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AssessInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Calls the window must hold before the responder judges it: fewer is too little evidence (three calls and one
    /// failure is not an outage) and counts as healthy. Default 20.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MinRequests { get; set; } = 20;

    /// <summary>
    /// Judged answers the window must hold before its hallucination rate counts: one made-up answer among the first
    /// eight verdicts is 12.5 %, not an incident. Default 20.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MinVerdicts { get; set; } = 20;

    /// <summary>
    /// How long the signals must call for a lighter mode before the responder steps down to it (escalation is at once).
    /// Default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan HoldPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>P0 when the success rate is below this. Default 0.90.</summary>
    [Range(0.0, 1.0)]
    public double CriticalSuccessRate { get; set; } = 0.90;

    /// <summary>P0 when the hallucination rate is above this. Default 0.20.</summary>
    [Range(0.0, 1.0)]
    public double CriticalHallucinationRate { get; set; } = 0.20;

    /// <summary>P1 when the success rate is below this. Default 0.95.</summary>
    [Range(0.0, 1.0)]
    public double HighSuccessRate { get; set; } = 0.95;

    /// <summary>P1 when the hallucination rate is above this. Default 0.10.</summary>
    [Range(0.0, 1.0)]
    public double HighHallucinationRate { get; set; } = 0.10;

    /// <summary>P1 when the P99 latency is above this. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan HighP99Latency { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>P2 when the success rate is below this. Default 0.98.</summary>
    [Range(0.0, 1.0)]
    public double MediumSuccessRate { get; set; } = 0.98;

    /// <summary>P2 when the P99 latency is above this. Default 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MediumP99Latency { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Log entries kept in memory; the oldest go first. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int MaxLogEntries { get; set; } = 1000;
}
