namespace Vigil.Alerting.Dashboards;

/// <summary>A colour step of a panel: from <paramref name="Value"/> up (null: the base step, from minus infinity).</summary>
/// <param name="Color">A Grafana colour name.</param>
/// <param name="Value">Where the step starts.</param>
public sealed record DashboardThreshold(string Color, double? Value);
