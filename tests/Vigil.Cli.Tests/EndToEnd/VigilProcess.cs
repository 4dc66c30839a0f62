using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;

using Vigil.Server.Tests.Infrastructure.Tools;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// The built <c>vigil</c> (<c>dotnet Vigil.Cli.dll</c>, the build next to the tests) running a serving command —
/// <c>demo</c> or <c>serve</c> — on a free loopback port with a data directory of its own. Disposing kills its tree if
/// it still runs and deletes the directory.
/// </summary>
public sealed class VigilProcess : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private VigilProcess(ChildProcess process, Uri address, string dataDirectory, DateTimeOffset startedAt)
    {
        Process = process;
        Address = address;
        _dataDirectory = dataDirectory;
        StartedAt = startedAt;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The process, its output and exit code.</summary>
    public ChildProcess Process { get; }

    /// <summary>Where it serves, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>When it was launched (the demo's timeline starts about then).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>A client to it.</summary>
    public HttpClient Client { get; }

    /// <summary>The built Vigil.Cli.dll the test project points at (AssemblyMetadata <c>VigilCliAssembly</c>).</summary>
    public static string CliAssemblyPath
    {
        get
        {
            var path = typeof(VigilProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "VigilCliAssembly")?.Value;
            if (path is null || !File.Exists(path))
            {
                throw new InvalidOperationException($"Vigil.Cli.dll is not built where the test project expects it: '{path}'. Build the solution first.");
            }

            return path;
        }
    }

    /// <summary>
    /// Starts <c>vigil <paramref name="command"/> --urls http://127.0.0.1:PORT --data DIR</c> followed by
    /// <paramref name="arguments"/>, and waits until its <c>/healthz</c> answers 200.
    /// </summary>
    public static async Task<VigilProcess> StartAsync(string command, IReadOnlyList<string> arguments, TimeSpan startTimeout)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            var data = Directory.CreateTempSubdirectory($"vigil-e2e-{command}-").FullName;
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = data };
            foreach (var argument in (string[])[CliAssemblyPath, command, "--urls", address.GetLeftPart(UriPartial.Authority), "--data", data, .. arguments])
            {
                info.ArgumentList.Add(argument);
            }

            // Keys from the runner's environment would lock out the test's reads and Alertmanager's webhook.
            foreach (var key in (string[])["VIGIL_INGEST_KEYS", "VIGIL_READ_KEYS", "VIGIL_ADMIN_KEYS", "VIGIL_GATEWAY_KEYS"])
            {
                info.Environment.Remove(key);
            }

            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["NO_COLOR"] = "1";
            var vigil = new VigilProcess(ChildProcess.Start("vigil " + command, info), address, data, DateTimeOffset.UtcNow);
            try
            {
                await vigil.WaitUntilHealthyAsync(startTimeout);
                return vigil;
            }
            catch (Exception) when (attempt < 3 && vigil.Process.HasExited && LoopbackPort.WasTaken(vigil.Process.Output))
            {
                await vigil.DisposeAsync();
            }
            catch
            {
                await vigil.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Seconds since it was launched.</summary>
    public double Elapsed(DateTimeOffset at) => (at - StartedAt).TotalSeconds;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed: the temp directory is left for the OS.
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Process.HasExited)
            {
                await Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"{Process.Name} exited with {Process.ExitCode} before answering /healthz:{Environment.NewLine}{Process.Output}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK && !Process.HasExited)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{Process.Name} did not answer /healthz within {timeout}:{Environment.NewLine}{Process.Output}");
    }
}
