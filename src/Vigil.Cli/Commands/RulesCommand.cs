using System.CommandLine;
using System.Text;
using Vigil.Alerting;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil rules</c>: writes the shipped files generated from the alert rule catalog (shared/contract "Shipped files"):
/// the Prometheus rule file, the example Alertmanager routing and the runbooks, under <c>--output</c> (default <c>deploy/</c>).
/// </summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Directory to write prometheus/, alertmanager/ and runbooks/ under.", DefaultValueFactory = _ => new DirectoryInfo("deploy") };
        var runbookBase = new Option<string>("--runbook-base-url") { Description = "Prefix of each rule's runbook_url annotation (the runbook's file name is appended), e.g. https://git.example.com/vigil/blob/main/deploy/runbooks/.", DefaultValueFactory = _ => PrometheusRuleFile.DefaultRunbookBaseUrl };

        var command = new Command("rules", "Write the Prometheus alert rules, an Alertmanager routing example and one runbook per alert, generated from Vigil's alert rule catalog.")
        {
            output, runbookBase,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(output),
            parseResult.GetValue(runbookBase) ?? PrometheusRuleFile.DefaultRunbookBaseUrl,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(DirectoryInfo output, string runbookBaseUrl, TextWriter stdout, TextWriter stderr)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        try
        {
            foreach (var (relative, text) in ShippedFiles.Generate(runbookBaseUrl))
            {
                var path = Path.Combine(output.FullName, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text, encoding);
                stdout.WriteLine(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"vigil rules: {ex.Message}");
            return ExitCodes.WorkFailed;
        }

        return ExitCodes.Success;
    }
}
