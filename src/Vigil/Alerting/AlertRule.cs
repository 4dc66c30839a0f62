using Vigil.Alerting.Engine;

namespace Vigil.Alerting;

/// <summary>
/// One alert rule of the catalog: what Prometheus evaluates (<see cref="Expression"/>, <see cref="For"/>), the same
/// condition for Vigil's own engine (<see cref="Condition"/>), how it is labelled and annotated, and where its runbook
/// is. <see cref="Expression"/> already holds the comparison with <see cref="Threshold"/>; the threshold is kept apart
/// for readers (runbooks).
/// </summary>
/// <param name="Name">The <c>alertname</c>, e.g. <c>LLMSuccessRateCritical</c>.</param>
/// <param name="Group">The Prometheus rule group, e.g. <c>llm_availability</c>.</param>
/// <param name="Expression">The PromQL expression, comparison included; it returns no series (never NaN) without traffic.</param>
/// <param name="Condition">The same expression in C#, for Vigil's engine.</param>
/// <param name="Threshold">The value the expression compares with.</param>
/// <param name="For">How long the condition must hold before the alert fires.</param>
/// <param name="Severity">The <c>severity</c> label.</param>
/// <param name="Summary">The <c>summary</c> annotation.</param>
/// <param name="Description">The <c>description</c> annotation (Prometheus template text, e.g. <c>{{ $value }}</c>).</param>
public sealed record AlertRule(
    string Name,
    string Group,
    string Expression,
    AlertCondition Condition,
    double Threshold,
    TimeSpan For,
    AlertSeverity Severity,
    string Summary,
    string Description)
{
    /// <summary>The runbook's file name under <c>deploy/runbooks/</c>: <c>&lt;Name&gt;.md</c>.</summary>
    public string RunbookFileName => Name + ".md";
}
