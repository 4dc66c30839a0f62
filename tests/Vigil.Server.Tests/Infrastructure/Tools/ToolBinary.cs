using System.Diagnostics;
using System.Net;

namespace Vigil.Server.Tests.Infrastructure.Tools;

/// <summary>What the real tools' wrappers share: finding a Debian package's binary, waiting for <c>/-/ready</c>, cleaning up.</summary>
public static class ToolBinary
{
    /// <summary>The binary <paramref name="name"/> on PATH or in /usr/bin; fails naming the Debian <paramref name="package"/>.</summary>
    public static string Find(string name, string package) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).Append(Path.Combine("/usr/bin", name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed: run scripts/bootstrap (apt-get install {package}).");

    /// <summary>Waits until <paramref name="client"/>'s server answers <c>/-/ready</c> with 200; fails with the process's output if it exits or times out.</summary>
    public static async Task WaitUntilReadyAsync(ChildProcess process, HttpClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(client);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"{process.Name} exited with {process.ExitCode}:{Environment.NewLine}{process.Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("-/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
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

        throw new InvalidOperationException($"{process.Name} was not ready within {timeout}:{Environment.NewLine}{process.Output}");
    }

    /// <summary>Deletes a temporary directory; one still in use is left for the OS.</summary>
    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
