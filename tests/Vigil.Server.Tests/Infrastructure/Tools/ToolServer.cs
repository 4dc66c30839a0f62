using System.Diagnostics;
using System.Globalization;

namespace Vigil.Server.Tests.Infrastructure.Tools;

/// <summary>
/// A real server binary (Prometheus, Alertmanager) in a temporary directory of its own, on a free loopback port, ready
/// (<c>/-/ready</c>); another port is tried when the first was taken meanwhile. Disposing kills it and deletes the
/// directory; nothing else is touched.
/// </summary>
public sealed class ToolServer : IAsyncDisposable
{
    private ToolServer(ChildProcess process, string directory, Uri address, TimeSpan clientTimeout)
    {
        Process = process;
        Directory = directory;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = clientTimeout };
    }

    /// <summary>The running process.</summary>
    public ChildProcess Process { get; }

    /// <summary>Its temporary directory (configuration and storage).</summary>
    public string Directory { get; }

    /// <summary>Its HTTP base address.</summary>
    public Uri Address { get; }

    /// <summary>A client to its API.</summary>
    public HttpClient Client { get; }

    /// <summary>What it logged.</summary>
    public string Output => Process.Output;

    /// <summary>
    /// Starts <paramref name="binary"/>: <paramref name="prepare"/> writes its configuration into the new directory and
    /// returns its arguments for the directory and port (the listen address among them); waits until it is ready.
    /// </summary>
    public static async Task<ToolServer> StartAsync(string name, string binary, Func<string, int, Task<IReadOnlyList<string>>> prepare, TimeSpan clientTimeout)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        for (var attempt = 1; ; attempt++)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory($"vigil-{name}-").FullName;
            var port = LoopbackPort.Free();
            var info = new ProcessStartInfo(binary) { WorkingDirectory = directory };
            foreach (var argument in await prepare(directory, port))
            {
                info.ArgumentList.Add(argument);
            }

            var server = new ToolServer(ChildProcess.Start(name, info), directory, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), clientTimeout);
            try
            {
                await ToolBinary.WaitUntilReadyAsync(server.Process, server.Client, TimeSpan.FromSeconds(30));
                return server;
            }
            catch (Exception) when (attempt < 3 && server.Process.HasExited && LoopbackPort.WasTaken(server.Output))
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
        ToolBinary.DeleteDirectory(Directory);
    }
}
