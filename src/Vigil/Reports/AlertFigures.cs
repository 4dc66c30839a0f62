namespace Vigil.Reports;

/// <summary>An alert now pending or firing (the contract's alert: name, severity, state, since, value, labels, summary, runbook).</summary>
public sealed record AlertFigures(
    string Name,
    string Severity,
    string State,
    DateTimeOffset Since,
    double? Value,
    IReadOnlyDictionary<string, string> Labels,
    string Summary,
    string? RunbookUrl);
