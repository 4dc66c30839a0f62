namespace Vigil.Alerting;

/// <summary>
/// The seed's alert levels (§7.1), as the <c>severity</c> label carries them: P0 <c>critical</c>, P1 <c>high</c>,
/// P2 <c>warning</c>, P3 <c>info</c>.
/// </summary>
public enum AlertSeverity
{
    /// <summary>P0: respond within 5 minutes; PagerDuty and Slack.</summary>
    Critical,

    /// <summary>P1: respond within 15 minutes; PagerDuty and Slack.</summary>
    High,

    /// <summary>P2: respond within an hour; Slack.</summary>
    Warning,

    /// <summary>P3: respond within a day; Slack or e-mail.</summary>
    Info,
}
