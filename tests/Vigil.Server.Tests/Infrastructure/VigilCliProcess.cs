using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary><c>vigil serve</c> as a separate process (<c>dotnet Vigil.Cli.dll serve ..</c>), on a free loopback port.</summary>
public sealed class VigilCliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private VigilCliProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Where it listens.</summary>
    public Uri Address { get; }

    /// <summary>The process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code (after it ended).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What it wrote to stdout and stderr.</summary>
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

    /// <summary>The built Vigil.Cli.dll (the test project builds it through a non-referencing ProjectReference).</summary>
    public static string CliAssemblyPath
    {
        get
        {
            var path = typeof(VigilCliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "VigilCliAssembly")?.Value;
            Assert.True(path is not null && File.Exists(path), $"Vigil.Cli.dll is not built where the test project expects it: '{path}'. Build the solution first.");
            return path!;
        }
    }

    /// <summary>Starts <c>vigil serve --urls http://127.0.0.1:PORT</c> with <paramref name="storeArguments"/> and waits until /healthz answers 200.</summary>
    public static async Task<VigilCliProcess> StartAsync(IReadOnlyList<string> storeArguments, TimeSpan? startTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(storeArguments);

        // The free port is released before the server binds it, and another process may take it meanwhile: then the
        // server exits naming the address in use, and it is started again on another port.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync(storeArguments, startTimeout ?? TimeSpan.FromSeconds(30));
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Starts <c>vigil serve</c> at <paramref name="address"/> (e.g. again where a killed one listened) with
    /// <paramref name="storeArguments"/> and waits until /healthz answers 200.
    /// </summary>
    public static Task<VigilCliProcess> StartAtAsync(Uri address, IReadOnlyList<string> storeArguments, TimeSpan? startTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(storeArguments);
        return LaunchAsync(address, storeArguments, startTimeout ?? TimeSpan.FromSeconds(30));
    }

    private static Task<VigilCliProcess> StartOnFreePortAsync(IReadOnlyList<string> storeArguments, TimeSpan startTimeout) =>
        LaunchAsync(new Uri($"http://127.0.0.1:{FreePort()}/"), storeArguments, startTimeout);

    private static async Task<VigilCliProcess> LaunchAsync(Uri address, IReadOnlyList<string> storeArguments, TimeSpan startTimeout)
    {
        var info = ServeStartInfo(["--urls", address.GetLeftPart(UriPartial.Authority), .. storeArguments]);
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var cli = new VigilCliProcess(process, address);
        try
        {
            await cli.WaitUntilHealthyAsync(startTimeout);
        }
        catch (Exception ex)
        {
            var portTaken = cli.HasExited && cli.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
            await cli.DisposeAsync();
            if (portTaken)
            {
                throw new PortTakenException(cli.Output, ex);
            }

            throw;
        }

        return cli;
    }

    /// <summary><c>dotnet Vigil.Cli.dll serve</c> with <paramref name="arguments"/>, its output redirected.</summary>
    public static ProcessStartInfo ServeStartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliAssemblyPath);
        info.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Keys from the test runner's environment would lock the tests out.
        info.Environment.Remove("VIGIL_INGEST_KEYS");
        info.Environment.Remove("VIGIL_READ_KEYS");
        return info;
    }

    /// <summary>Runs <paramref name="info"/> (a <c>vigil serve</c> expected to stop by itself) to its exit, killed after a minute.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A client to it.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // the end of its output too
                throw new Xunit.Sdk.XunitException($"vigil serve exited with {_process.ExitCode} before answering:{Environment.NewLine}{Output}");
            }

            try
            {
                // Its own answer: it says it listens only once it has bound the address (not another process on the port).
                using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK && Output.Contains("vigil serve: listening on", StringComparison.Ordinal))
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

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"vigil serve did not answer /healthz within {timeout}:{Environment.NewLine}{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private sealed class PortTakenException(string output, Exception inner) : Exception(output, inner);
}
