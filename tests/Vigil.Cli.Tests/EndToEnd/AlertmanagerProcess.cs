using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// The real Alertmanager (Debian's <c>prometheus-alertmanager</c>) on a free loopback port, with no cluster port, a
/// temporary configuration and storage, routing every alert to each of the given webhooks with <c>send_resolved</c>
/// and short waits (group_wait 1s, group_interval 5s). Disposing kills it and deletes the directory.
/// </summary>
public sealed class AlertmanagerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private AlertmanagerProcess(ChildProcess process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Its base address (Prometheus's <c>alerting</c> target).</summary>
    public Uri Address { get; }

    /// <summary>A client to its API.</summary>
    public HttpClient Client { get; }

    /// <summary>What it logged.</summary>
    public string Output => _process.Output;

    /// <summary>The alertmanager binary of Debian's package.</summary>
    public static string Binary => ToolBinary.Find("prometheus-alertmanager", "prometheus-alertmanager");

    /// <summary>Starts it with one receiver per entry of <paramref name="webhooks"/> (name → URL), every alert routed to each; waits until it is ready.</summary>
    public static async Task<AlertmanagerProcess> StartAsync(IReadOnlyList<KeyValuePair<string, Uri>> webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentOutOfRangeException.ThrowIfZero(webhooks.Count);
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("vigil-e2e-alertmanager-").FullName;
            var port = LoopbackPort.Free();
            var config = Path.Combine(directory, "alertmanager.yml");
            await File.WriteAllTextAsync(config, Config(webhooks));
            var info = new ProcessStartInfo(Binary) { WorkingDirectory = directory };
            foreach (var argument in (string[])[
                "--config.file=" + config,
                "--storage.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                "--cluster.listen-address=", // no gossip port: a single, private Alertmanager
                "--log.level=warn"])
            {
                info.ArgumentList.Add(argument);
            }

            var server = new AlertmanagerProcess(ChildProcess.Start("alertmanager", info), directory, new Uri($"http://127.0.0.1:{port}/"));
            try
            {
                await ToolBinary.WaitUntilReadyAsync(server._process, server.Client, TimeSpan.FromSeconds(30));
                return server;
            }
            catch (Exception) when (attempt < 3 && server._process.HasExited && LoopbackPort.WasTaken(server.Output))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The alerts it holds now (<c>/api/v2/alerts</c>): name and state of each.</summary>
    public async Task<IReadOnlyList<(string Name, string State)>> AlertsAsync()
    {
        var answer = JsonNode.Parse(await Client.GetStringAsync(new Uri("api/v2/alerts", UriKind.Relative)))!;
        return [.. answer.AsArray().Select(alert => (
            alert!["labels"]!["alertname"]!.GetValue<string>(),
            alert["status"]!["state"]!.GetValue<string>()))];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
        ToolBinary.DeleteDirectory(_directory);
    }

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
