namespace Vigil.Cli.Tests;

public sealed class VigilCommandLineTests
{
    [Fact]
    public void Run_Help_PrintsUsageToStdoutAndExitsZero()
    {
        var (code, stdout, stderr) = Run("--help");

        Assert.Equal(VigilCommandLine.Success, code);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Contains("vigil", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    [Fact]
    public void Run_UnknownOption_ExitsTwoNamingItOnStderr()
    {
        var (code, stdout, stderr) = Run("--no-such-option");

        Assert.Equal(VigilCommandLine.BadUsage, code);
        Assert.Contains("--no-such-option", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Run_Version_PrintsAVersion()
    {
        var (code, stdout, _) = Run("--version");

        Assert.Equal(VigilCommandLine.Success, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout.Trim());
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VigilCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
