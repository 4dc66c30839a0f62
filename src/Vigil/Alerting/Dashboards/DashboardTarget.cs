namespace Vigil.Alerting.Dashboards;

/// <summary>One PromQL query of a dashboard panel.</summary>
/// <param name="Expression">The PromQL, with Grafana's <c>$__rate_interval</c> or <c>$__range</c> in every range selector.</param>
/// <param name="Legend">The series' legend (Grafana's <c>legendFormat</c>, e.g. <c>{{model}}</c>).</param>
/// <param name="Instant">True for a query of the latest value only (stats, tables, pie charts).</param>
/// <param name="Table">True to return the series as table rows (Grafana's <c>format: table</c>).</param>
public sealed record DashboardTarget(string Expression, string Legend, bool Instant = false, bool Table = false);
