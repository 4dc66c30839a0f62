namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>Where the repository's shipped files are, found from the test assembly's directory.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding Vigil.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every rule file of deploy/prometheus (the shipped ones, as they are), in name order.</summary>
    public static IReadOnlyList<string> PrometheusRuleFiles =>
        [.. Directory.GetFiles(Path.Combine(Root, "deploy", "prometheus"), "*.yml").Order(StringComparer.Ordinal)];

    /// <summary>Every Grafana dashboard of deploy/grafana/dashboards, in name order.</summary>
    public static IReadOnlyList<string> GrafanaDashboards =>
        [.. Directory.GetFiles(Path.Combine(Root, "deploy", "grafana", "dashboards"), "*.json").Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Vigil.slnx above {AppContext.BaseDirectory}.");
    }
}
