namespace Vigil.Alerting.Dashboards;

/// <summary>A number a panel shows as a name (e.g. a degradation mode's depth as its mode).</summary>
/// <param name="Value">The number.</param>
/// <param name="Text">What is shown instead.</param>
/// <param name="Color">A Grafana colour name.</param>
public sealed record DashboardValueMapping(int Value, string Text, string Color);
