using System.CommandLine;
using System.CommandLine.Help;
using Vigil.Cli;
using Vigil.Cli.Commands;

// `vigil report` alone (see the project file): the same command tree shape as `vigil`, so `./vigil report …` passes its
// arguments through unchanged and gets the same parsing, messages and exit codes.
var root = new Command("vigil", "Vigil's health report of interaction files (the `report` command, compiled ahead of time).")
{
    new HelpOption(),
    ReportCommand.Create(),
};
return CommandLineRunner.Run(root, args, Console.Out, Console.Error);
