using System.CommandLine;

namespace Vigil.Cli;

/// <summary>Runs a <c>vigil</c> command tree: parse errors are printed one a line with a hint and exit 2.</summary>
internal static class CommandLineRunner
{
    public static int Run(Command root, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                stderr.WriteLine($"vigil: {error.Message}");
            }

            stderr.WriteLine("Run 'vigil --help' for usage.");
            return ExitCodes.BadUsage;
        }

        return parseResult.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
