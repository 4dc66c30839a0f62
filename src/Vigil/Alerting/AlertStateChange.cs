namespace Vigil.Alerting;

/// <summary>
/// An alert changed state: it started firing, or it resolved. One is published per change, whoever evaluated the rule —
/// Vigil's own engine, or a team's Prometheus through Alertmanager's webhook (<c>POST /v1/alertmanager</c>) — and every
/// notifier (Slack, PagerDuty, the generic webhook) takes it from there. Its fields are Alertmanager's (webhook
/// version 4), so the generic webhook posts it as it is.
/// </summary>
/// <param name="Name">The <c>alertname</c>, e.g. <c>LLMSuccessRateCritical</c>.</param>
/// <param name="Severity">The <c>severity</c> label.</param>
/// <param name="Status">Firing or resolved.</param>
/// <param name="Labels">Every label, <c>alertname</c> and <c>severity</c> included (and the series' own, e.g. <c>model</c>).</param>
/// <param name="Annotations"><c>summary</c>, <c>description</c> and <c>runbook_url</c>, at least.</param>
/// <param name="StartsAt">When it started firing (Vigil: when the condition first held, as Prometheus's <c>activeAt</c>).</param>
/// <param name="EndsAt">When it resolved; null while firing.</param>
/// <param name="Value">The expression's value at the change, when known.</param>
/// <param name="Fingerprint">Stable per alert series (alert name and labels): PagerDuty's <c>dedup_key</c>, the webhook's <c>fingerprint</c>.</param>
/// <param name="Source"><c>vigil</c> for Vigil's engine, <c>alertmanager</c> for alerts received from one.</param>
public sealed record AlertStateChange(
    string Name,
    AlertSeverity Severity,
    AlertStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    double? Value,
    string Fingerprint,
    string Source);
