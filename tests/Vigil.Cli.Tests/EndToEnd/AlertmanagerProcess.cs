using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

using Vigil.Server.Tests.Infrastructure.Tools;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// The real Alertmanager (Debian's <c>prometheus-alertmanager</c>) on a free loopback port, with no cluster port, a
/// temporary configuration and storage, routing every alert to each of the given webhooks with <c>send_resolved</c>
/// and short waits (group_wait 1s, group_interval 5s). Disposing kills it and deletes the directory.
/// </summary>
public sealed class AlertmanagerProcess : IAsyncDisposable
{
    private readonly ToolServer _server;

    private AlertmanagerProcess(ToolServer server) => _server = server;

    /// <summary>Its base address (Prometheus's <c>alerting</c> target).</summary>
    public Uri Address => _server.Address;

    /// <summary>A client to its API.</summary>
    public HttpClient Client => _server.Client;

    /// <summary>What it logged.</summary>
    public string Output => _server.Output;

    /// <summary>The alertmanager binary of Debian's package.</summary>
    public static string Binary => ToolBinary.Find("prometheus-alertmanager", "prometheus-alertmanager");

    /// <summary>Starts it with one receiver per entry of <paramref name="webhooks"/> (name → URL), every alert routed to each; waits until it is ready.</summary>
    public static async Task<AlertmanagerProcess> StartAsync(IReadOnlyList<KeyValuePair<string, Uri>> webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentOutOfRangeException.ThrowIfZero(webhooks.Count);
        var server = await ToolServer.StartAsync("alertmanager", Binary, async (directory, port) =>
        {
            var config = Path.Combine(directory, "alertmanager.yml");
            await File.WriteAllTextAsync(config, Config(webhooks));
            return
            [
                "--config.file=" + config,
                "--storage.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                "--cluster.listen-address=", // no gossip port: a single, private Alertmanager
                "--log.level=warn",
            ];
        }, TimeSpan.FromSeconds(10));
        return new AlertmanagerProcess(server);
    }

    /// <summary>The alerts it holds now (<c>/api/v2/alerts</c>): name and state of each.</summary>
    public async Task<IReadOnlyList<(string Name, string State)>> AlertsAsync()
    {
        var answer = JsonNode.Parse(await Client.GetStringAsync(new Uri("api/v2/alerts", UriKind.Relative)))!;
        return [.. answer.AsArray().Select(alert => (
            alert!["labels"]!["alertname"]!.GetValue<string>(),
            alert["status"]!["state"]!.GetValue<string>()))];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>The configuration: the root route sends to the first receiver; child routes without matchers (with
    /// <c>continue</c>) send every alert to each receiver.</summary>
    internal static string Config(IReadOnlyList<KeyValuePair<string, Uri>> webhooks)
    {
        var config = new StringBuilder()
            .Append("route:\n")
            .Append("  receiver: '").Append(webhooks[0].Key).Append("'\n")
            .Append("  group_by: ['alertname']\n")
            .Append("  group_wait: 1s\n")
            .Append("  group_interval: 5s\n")
            .Append("  repeat_interval: 1h\n")
            .Append("  routes:\n");
        foreach (var (name, _) in webhooks)
        {
            config.Append("    - receiver: '").Append(name).Append("'\n      continue: true\n");
        }

        config.Append("receivers:\n");
        foreach (var (name, url) in webhooks)
        {
            config.Append("  - name: '").Append(name).Append("'\n")
                .Append("    webhook_configs:\n")
                .Append("      - url: '").Append(url.AbsoluteUri).Append("'\n")
                .Append("        send_resolved: true\n");
        }

        return config.ToString();
    }
}
