using System.Net;
using System.Net.Sockets;
using Vigil.Cli.Commands;

namespace Vigil.Cli.Tests.Demo;

/// <summary><c>vigil demo</c>: its options as the contract has them, bad usage, and a short run through the real pipeline.</summary>
public sealed class DemoCommandTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1m30s", 90)]
    [InlineData("0.5m", 30)]
    [InlineData("00:05:00", 300)]
    public void TryParseDuration_Valid_ReadsIt(string text, double seconds)
    {
        Assert.True(DemoCommand.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5x")]
    [InlineData("-5m")]
    [InlineData("5m3")]
    public void TryParseDuration_Invalid_False(string text) => Assert.False(DemoCommand.TryParseDuration(text, out _));

    [Fact]
    public void Run_Help_ListsTheContractsOptions()
    {
        var (code, stdout, _) = Run("demo", "--help");

        Assert.Equal(VigilCommandLine.Success, code);
        foreach (var option in (string[])["--urls", "--data", "--duration", "--rate", "--seed", "--scenario"])
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--duration", "soon", "--duration")]
    [InlineData("--duration", "48h", "--duration")]
    [InlineData("--rate", "0", "--rate")]
    [InlineData("--rate", "5000", "--rate")]
    [InlineData("--scenario", "apocalypse", "apocalypse")]
    public void Run_BadOption_ExitsTwoNamingIt(string option, string value, string named)
    {
        var (code, stdout, stderr) = Run("demo", option, value);

        Assert.Equal(VigilCommandLine.BadUsage, code);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Run_ExposedWithoutKeys_ExitsTwoSayingWhy()
    {
        var (code, _, stderr) = Run("demo", "--urls", "http://0.0.0.0:5999", "--duration", "5s");

        Assert.Equal(VigilCommandLine.BadUsage, code);
        Assert.Contains("without API keys", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ShortSteadyRun_ServesEveryCustomerAndPrintsTheHealthReport()
    {
        var data = Directory.CreateTempSubdirectory("vigil-demo-test-");
        try
        {
            var port = FreePort();
            var (code, stdout, stderr) = await Task.Run(() => Run("demo", "--urls", $"http://127.0.0.1:{port}", "--data", data.FullName,
                "--duration", "8s", "--rate", "15", "--seed", "7", "--scenario", "steady"));

            Assert.True(code == VigilCommandLine.Success, stderr);
            Assert.Contains("SIMULATED", stderr, StringComparison.Ordinal);
            Assert.Contains("Vigil health report", stdout, StringComparison.Ordinal);
            var global = stdout.Split('\n').Single(l => l.StartsWith("global", StringComparison.Ordinal));
            Assert.Equal("120", global.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]); // 8 s × 15/s, every one recorded
            Assert.Contains("model:gpt-4.1-mini", stdout, StringComparison.Ordinal);
            Assert.Contains("feature:customer_service", stdout, StringComparison.Ordinal);
            Assert.Matches(@"satisfaction: [1-9]\d* feedbacks", stdout);
            Assert.Matches(@"quality: [1-9]\d* evaluated", stdout);
            Assert.Matches(@"cache: [1-9]\d* hits", stdout);
            Assert.Contains("incidents:", stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data.FullName, "vigil.db")), "the run's store stays for 'vigil serve --data'");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VigilCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
