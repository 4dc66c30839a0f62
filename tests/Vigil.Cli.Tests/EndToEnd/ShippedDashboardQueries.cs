using System.Text.Json.Nodes;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// Every target <c>expr</c> of the shipped Grafana dashboards (deploy/grafana/dashboards/*.json), with Grafana's
/// variables filled as Grafana would for a 5-minute view (as the collector's dashboard test fills them).
/// </summary>
public static class ShippedDashboardQueries
{
    /// <summary>The queries, each with its dashboard file and panel title.</summary>
    public static IReadOnlyList<NamedQuery> All()
    {
        var queries = new List<NamedQuery>();
        foreach (var file in RepositoryPaths.GrafanaDashboards)
        {
            var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
            Collect(Path.GetFileName(file), dashboard["panels"]?.AsArray() ?? [], queries);
        }

        return queries;
    }

    /// <summary>Grafana's variables as Grafana fills them: <c>$__rate_interval</c> 1m, <c>$__range</c> 5m, <c>$__interval</c> 15s, the data source by name.</summary>
    public static string Substitute(string expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        return expr
            .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("$__range", "5m", StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("${datasource}", "prometheus", StringComparison.Ordinal);
    }

    private static void Collect(string file, JsonArray panels, List<NamedQuery> queries)
    {
        foreach (var panel in panels)
        {
            var title = panel?["title"]?.GetValue<string>() ?? "(untitled)";
            foreach (var target in panel?["targets"]?.AsArray() ?? [])
            {
                if (target?["expr"]?.GetValue<string>() is { Length: > 0 } expr)
                {
                    queries.Add(new NamedQuery($"{file}: {title}", Substitute(expr)));
                }
            }

            // A row panel holds its collapsed panels.
            if (panel?["panels"] is JsonArray nested)
            {
                Collect(file, nested, queries);
            }
        }
    }
}
