using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Server.Tests.Infrastructure.Tools;

/// <summary>
/// The real <c>prometheus</c> (Debian's package) on a free loopback port with a temporary configuration and storage:
/// it scrapes one target's <c>/metrics</c>, evaluates the given rule files and sends its alerts to one Alertmanager,
/// adding <see cref="ExternalLabel"/> to them. Disposing kills it and deletes the directory; nothing else is touched.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    /// <summary>
    /// The external label this Prometheus puts on every alert it sends (as a team's Prometheus names itself): how an
    /// alert that came through Alertmanager is told from one Vigil's own engine raised, whose labels are otherwise the same.
    /// </summary>
    public static readonly KeyValuePair<string, string> ExternalLabel = new("prometheus", "vigil-e2e");

    private readonly ToolServer _server;

    private PrometheusProcess(ToolServer server) => _server = server;

    /// <summary>Its HTTP API's base address.</summary>
    public Uri Address => _server.Address;

    /// <summary>A client to its API.</summary>
    public HttpClient Client => _server.Client;

    /// <summary>What it logged.</summary>
    public string Output => _server.Output;

    /// <summary>The prometheus binary on PATH or in /usr/bin.</summary>
    public static string Binary => ToolBinary.Find("prometheus", "prometheus");

    /// <summary>
    /// Starts it scraping <paramref name="target"/>'s <c>/metrics</c> and evaluating <paramref name="ruleFiles"/> every
    /// <paramref name="interval"/>, alerting <paramref name="alertmanager"/> when given; waits until it is ready.
    /// </summary>
    public static async Task<PrometheusProcess> StartAsync(Uri target, IReadOnlyList<string> ruleFiles, Uri? alertmanager, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ruleFiles);
        var server = await ToolServer.StartAsync("prometheus", Binary, async (directory, port) =>
        {
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, Config(target, ruleFiles, alertmanager, interval));
            return
            [
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                "--log.level=warn",
            ];
        }, TimeSpan.FromSeconds(30));
        return new PrometheusProcess(server);
    }

    /// <summary>Runs an instant query, now or at <paramref name="at"/>; returns Prometheus's whole answer (<c>status</c>, <c>data</c> or <c>error</c>).</summary>
    public async Task<JsonObject> QueryAsync(string query, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var form = new Dictionary<string, string> { ["query"] = query };
        if (at is { } time)
        {
            form["time"] = (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        }

        // POST: the seed's longest queries are long for a URL, and the API takes the form alike.
        using var body = new FormUrlEncodedContent(form);
        using var response = await Client.PostAsync(new Uri("api/v1/query", UriKind.Relative), body);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The alerts pending or firing now (<c>/api/v1/alerts</c>): name, state and labels of each.</summary>
    public async Task<IReadOnlyList<(string Name, string State, JsonObject Labels)>> AlertsAsync()
    {
        var answer = JsonNode.Parse(await Client.GetStringAsync(new Uri("api/v1/alerts", UriKind.Relative)))!;
        return [.. answer["data"]!["alerts"]!.AsArray().Select(alert => (
            alert!["labels"]!["alertname"]!.GetValue<string>(),
            alert["state"]!.GetValue<string>(),
            alert["labels"]!.AsObject()))];
    }

    /// <summary>The names of the alerting rules it loaded (<c>/api/v1/rules</c>).</summary>
    public async Task<IReadOnlySet<string>> AlertingRuleNamesAsync()
    {
        var answer = JsonNode.Parse(await Client.GetStringAsync(new Uri("api/v1/rules?type=alert", UriKind.Relative)))!;
        return answer["data"]!["groups"]!.AsArray()
            .SelectMany(group => group!["rules"]!.AsArray())
            .Select(rule => rule!["name"]!.GetValue<string>())
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The Alertmanagers it sends to and reached (<c>/api/v1/alertmanagers</c>, active ones).</summary>
    public async Task<IReadOnlyList<string>> ActiveAlertmanagersAsync()
    {
        var answer = JsonNode.Parse(await Client.GetStringAsync(new Uri("api/v1/alertmanagers", UriKind.Relative)))!;
        return [.. answer["data"]!["activeAlertmanagers"]!.AsArray().Select(am => am!["url"]!.GetValue<string>())];
    }

    /// <summary>The metric names it holds samples of (<c>/api/v1/label/__name__/values</c>).</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        var answer = JsonNode.Parse(await Client.GetStringAsync(new Uri("api/v1/label/__name__/values", UriKind.Relative)))!;
        return answer["data"]!.AsArray().Select(name => name!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static string Config(Uri target, IReadOnlyList<string> ruleFiles, Uri? alertmanager, TimeSpan interval)
    {
        var every = ((int)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var config = new StringBuilder()
            .Append("global:\n")
            .Append("  scrape_interval: ").Append(every).Append('\n')
            .Append("  evaluation_interval: ").Append(every).Append('\n')
            .Append("  external_labels:\n    ").Append(ExternalLabel.Key).Append(": '").Append(ExternalLabel.Value).Append("'\n")
            .Append("rule_files:\n");
        foreach (var file in ruleFiles)
        {
            config.Append("  - '").Append(file.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        if (alertmanager is not null)
        {
            config.Append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['")
                .Append(alertmanager.Authority).Append("']\n");
        }

        return config
            .Append("scrape_configs:\n  - job_name: vigil\n    metrics_path: /metrics\n    static_configs:\n")
            .Append("      - targets: ['").Append(target.Authority).Append("']\n")
            .ToString();
    }
}
