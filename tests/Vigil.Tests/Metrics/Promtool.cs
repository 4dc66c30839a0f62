using System.Diagnostics;

namespace Vigil.Tests.Metrics;

/// <summary>Runs the real promtool (installed by scripts/bootstrap from Debian's prometheus package).</summary>
internal static class Promtool
{
    public static string Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "promtool"))
            .Append("/usr/bin/promtool");
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool is not installed: run scripts/bootstrap (apt-get install prometheus).");
    }

    public static (int ExitCode, string Output) Run(string promtool, string arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(promtool)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            return (-1, "promtool timed out");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
