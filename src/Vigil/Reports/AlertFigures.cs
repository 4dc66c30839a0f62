namespace Vigil.Reports;

/// <summary>
/// An alert now pending or firing (the contract's alert: name, severity, state, since, value, labels, summary, runbook),
/// and where it comes from.
/// </summary>
public sealed record AlertFigures(
    string Name,
    string Severity,
    string State,
    DateTimeOffset Since,
    double? Value,
    IReadOnlyDictionary<string, string> Labels,
    string Summary,
    string? RunbookUrl)
{
    /// <summary>Who raised it: <c>vigil</c> (Vigil's own engine) or <c>alertmanager</c> (received at <c>POST /v1/alertmanager</c>).</summary>
    public string Source { get; init; } = "vigil";
}
