using Vigil.Reports;

namespace Vigil.Alerting.Engine;

/// <summary>One alert series the engine holds pending or firing.</summary>
/// <param name="Rule">Its rule.</param>
/// <param name="Labels">Every label: <c>alertname</c>, <c>severity</c>, <c>team</c> and the series' own.</param>
/// <param name="Fingerprint">The label set's fingerprint.</param>
/// <param name="State">Pending or firing.</param>
/// <param name="Since">When the condition first held.</param>
/// <param name="Value">The expression's value at the last evaluation.</param>
/// <param name="Annotations">summary, description (rendered) and runbook_url.</param>
public sealed record ActiveAlert(
    AlertRule Rule,
    IReadOnlyDictionary<string, string> Labels,
    string Fingerprint,
    AlertState State,
    DateTimeOffset Since,
    double? Value,
    IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>The contract's alert.</summary>
    public AlertFigures ToFigures() => new(
        Rule.Name, Rule.Severity.ToLabel(), State == AlertState.Firing ? "firing" : "pending", Since, Value, Labels,
        Rule.Summary, Annotations.GetValueOrDefault("runbook_url"));

    /// <summary>The state change it announces now, firing or resolved at <paramref name="endsAt"/>.</summary>
    public AlertStateChange ToChange(AlertStatus status, DateTimeOffset? endsAt) => new(
        Rule.Name, Rule.Severity, status, Labels, Annotations, Since, endsAt, Value, Fingerprint, "vigil");
}
