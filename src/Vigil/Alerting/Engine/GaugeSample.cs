namespace Vigil.Alerting.Engine;

/// <summary>A gauge's current value: its metric name, labels (without the name) and value.</summary>
/// <param name="Name">The metric, e.g. <c>llm_drift_score</c>.</param>
/// <param name="Labels">Its labels, e.g. <c>model</c> and <c>drift_type</c>.</param>
/// <param name="Value">The value now.</param>
public sealed record GaugeSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
