using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Server.Tests.Dashboards;

/// <summary>
/// The real <c>prometheus</c> (Debian's package) on a free loopback port, with a temporary configuration and storage
/// directory: it scrapes one target every second and evaluates the given rule files. Disposing kills it and deletes
/// the directory; nothing else is touched.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Its HTTP API's base address.</summary>
    public Uri Address { get; }

    /// <summary>A client to its API.</summary>
    public HttpClient Client { get; }

    /// <summary>What it logged.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The prometheus binary on PATH or in /usr/bin.</summary>
    public static string Binary =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "prometheus")).Append("/usr/bin/prometheus").FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("prometheus is not installed: run scripts/bootstrap (apt-get install prometheus).");

    /// <summary>Starts it scraping <paramref name="target"/>'s <c>/metrics</c> every second, with <paramref name="ruleFiles"/>; waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target, IReadOnlyList<string> ruleFiles)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ruleFiles);
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("vigil-prometheus-").FullName;
            var port = FreePort();
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, Config(target, ruleFiles));
            var info = new ProcessStartInfo(Binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                "--log.level=warn"])
            {
                info.ArgumentList.Add(argument);
            }

            var server = new PrometheusServer(Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start."), directory,
                new Uri($"http://127.0.0.1:{port}/"));
            try
            {
                await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(20));
                return server;
            }
            catch (Exception) when (attempt < 3 && server._process.HasExited && server.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
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

    /// <summary>Runs an instant query; returns Prometheus's whole answer (<c>status</c>, <c>data</c> or <c>error</c>).</summary>
    public async Task<JsonObject> QueryAsync(string query)
    {
        using var response = await Client.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The metric names it holds samples of (<c>/api/v1/label/__name__/values</c>).</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        var answer = JsonNode.Parse(await Client.GetStringAsync(new Uri("api/v1/label/__name__/values", UriKind.Relative)))!;
        return answer["data"]!.AsArray().Select(name => name!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed by the exiting process: the temp directory is left for the OS.
        }
    }

    private static string Config(Uri target, IReadOnlyList<string> ruleFiles)
    {
        var config = new StringBuilder()
            .Append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
            .Append("rule_files:\n");
        foreach (var file in ruleFiles)
        {
            config.Append("  - '").Append(file).Append("'\n");
        }

        return config
            .Append("scrape_configs:\n  - job_name: vigil\n    metrics_path: /metrics\n    static_configs:\n")
            .Append("      - targets: ['").Append(target.Authority).Append("']\n")
            .ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new Xunit.Sdk.XunitException($"prometheus exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("-/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"prometheus was not ready within {timeout}:{Environment.NewLine}{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
