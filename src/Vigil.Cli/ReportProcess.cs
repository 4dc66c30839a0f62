using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Vigil.Cli;

/// <summary>
/// Runs <c>vigil report</c> on a large file in a child process with tiered PGO off. PGO instruments hot code
/// before optimizing it, which costs a short batch job like the report about a quarter of its time and pays
/// back only in long-running processes; <c>vigil serve</c> is the same executable and keeps it, so the setting
/// cannot go into the runtime configuration. Setting <c>DOTNET_TieredPGO</c> yourself disables this.
/// </summary>
internal static class ReportProcess
{
    private const string PgoVariable = "DOTNET_TieredPGO";

    // Below this the second process start (about 0.1 s) costs more than PGO does.
    private const long MinInputBytes = 64L << 20;

    /// <summary>The exit code of the report run in a child process, or null to run it in this one.</summary>
    public static int? TryRunWithoutPgo(string[] args)
    {
        if (!ShouldRunChild(args, Environment.GetEnvironmentVariable(PgoVariable)) || Environment.ProcessPath is not { } host)
        {
            return null;
        }

        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        var name = Path.GetFileNameWithoutExtension(host);
        if (name.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Run as 'dotnet Vigil.Cli.dll …' (./vigil, dotnet run): the child needs the assembly.
            start.ArgumentList.Add(typeof(ReportProcess).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[PgoVariable] = "0";
        try
        {
            using var child = Process.Start(start);
            if (child is null)
            {
                return null;
            }

            // Stopping this process (Ctrl+C, kill, a timeout) stops the report too, instead of leaving it running alone.
            void Stop(PosixSignalContext context) => StopChild(child);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            child.WaitForExit();
            return child.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // cannot start a process here: run in this one
        }
    }

    private static void StopChild(Process child)
    {
        try
        {
            child.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // it has already exited
        }
    }

    /// <summary>True for <c>report</c> with an input of at least 64 MiB, when <c>DOTNET_TieredPGO</c> is not set.</summary>
    internal static bool ShouldRunChild(string[] args, string? pgoSetting) =>
        args.Length > 0 && args[0] == "report" && pgoSetting is null && LargeInput(args);

    private static bool LargeInput(string[] args)
    {
        for (var i = 1; i < args.Length - 1; i++)
        {
            if (args[i] is "--input" or "-i")
            {
                try
                {
                    return new FileInfo(args[i + 1]) is { Exists: true, Length: >= MinInputBytes };
                }
                catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
                {
                    return false; // the command reports a bad path itself
                }
            }
        }

        return false;
    }
}
