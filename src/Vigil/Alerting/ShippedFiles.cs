namespace Vigil.Alerting;

/// <summary>
/// The files <c>vigil rules</c> writes under its output directory (shared/contract "Shipped files"), by path relative
/// to it with <c>/</c> separators: <c>prometheus/llm_alerts.yml</c>, <c>prometheus/llm_slo.yml</c>, <c>alertmanager/alertmanager.yml</c>,
/// <c>runbooks/&lt;rule&gt;.md</c>, and the Grafana dashboard with its provisioning files under <c>grafana/</c>.
/// </summary>
public static class ShippedFiles
{
    /// <summary>Every file and its text, in a fixed order.</summary>
    /// <param name="runbookBaseUrl">Prefix of the rules' <c>runbook_url</c>.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Generate(string runbookBaseUrl = PrometheusRuleFile.DefaultRunbookBaseUrl)
    {
        var rules = AlertRuleCatalog.Rules;
        var files = new List<KeyValuePair<string, string>>
        {
            new("prometheus/llm_alerts.yml", PrometheusRuleFile.Write(AlertRuleCatalog.SeedRules, runbookBaseUrl)),
            new("prometheus/llm_slo.yml", PrometheusRuleFile.Write(AlertRuleCatalog.RecordingRules, AlertRuleCatalog.SloRules, runbookBaseUrl)),
            new("alertmanager/alertmanager.yml", AlertmanagerConfigFile.Write()),
            new("grafana/dashboards/vigil-llm.json", Dashboards.GrafanaDashboardFile.Write()),
            new("grafana/provisioning/dashboards/vigil.yml", Dashboards.GrafanaProvisioningFiles.DashboardProvider()),
            new("grafana/provisioning/datasources/prometheus.yml", Dashboards.GrafanaProvisioningFiles.PrometheusDatasource()),
        };
        files.AddRange(rules.Select(rule => new KeyValuePair<string, string>("runbooks/" + rule.RunbookFileName, RunbookFile.Write(rule))));
        return files;
    }
}
