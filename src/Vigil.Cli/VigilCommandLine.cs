using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;

namespace Vigil.Cli;

/// <summary>
/// The <c>vigil</c> command line. Exit codes (contract): 0 success, 1 the work failed, 2 bad usage.
/// Machine output goes to stdout, messages to stderr. Commands arrive with the issues that build them.
/// </summary>
internal static class VigilCommandLine
{
    public const int Success = ExitCodes.Success;
    public const int WorkFailed = ExitCodes.WorkFailed;
    public const int BadUsage = ExitCodes.BadUsage;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => CommandLineRunner.Run(BuildRoot(), args, stdout, stderr);

    public static Command BuildRoot()
    {
        // A plain command named 'vigil' rather than RootCommand, whose name is the host executable's.
        var root = new Command("vigil",
            "Vigil: production quality monitoring for LLM applications and AI agents. " +
            "It measures every LLM call (success, hard and soft errors, latency, TTFT, tokens, cost), " +
            "collects interactions and user feedback, and reports whether answers are still good.")
        {
            new HelpOption(),
            new VersionOption(),
            Commands.ServeCommand.Create(),
            Commands.DemoCommand.Create(),
            Commands.ReportCommand.Create(),
            Commands.DriftCommand.Create(),
            Commands.RulesCommand.Create(),
            Commands.EvaluateCommand.Create(Commands.CalibrateCommand.Create()),
        };
        root.SetAction(parseResult =>
        {
            // A bare 'vigil' shows what there is to run.
            parseResult.InvocationConfiguration.Output.WriteLine($"vigil {Version}");
            parseResult.InvocationConfiguration.Output.WriteLine("Run 'vigil --help' for the commands.");
            return Success;
        });
        return root;
    }

    public static string Version =>
        typeof(VigilCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
