namespace Vigil.Alerting.Engine;

/// <summary>A pending or firing alert as the collector keeps it across a restart.</summary>
/// <param name="Fingerprint">The alert series' fingerprint.</param>
/// <param name="Name">The <c>alertname</c>.</param>
/// <param name="Labels">Every label.</param>
/// <param name="State"><c>pending</c> or <c>firing</c>.</param>
/// <param name="Since">When the condition first held (Prometheus's <c>activeAt</c>).</param>
/// <param name="Value">The expression's value at the last evaluation.</param>
public sealed record StoredAlertState(
    string Fingerprint,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    DateTimeOffset Since,
    double? Value);
