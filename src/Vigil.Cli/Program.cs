using Vigil.Cli;

return ReportProcess.TryRunWithoutPgo(args) ?? VigilCommandLine.Run(args, Console.Out, Console.Error);
