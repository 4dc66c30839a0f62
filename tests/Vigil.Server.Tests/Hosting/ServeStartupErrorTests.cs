using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Hosting;

/// <summary>
/// <c>vigil serve</c> as a process with a configuration it refuses, found at each step of its start (the build, the
/// store's opening, the hosted services' creation): exit code 2 and one line naming what to change.
/// </summary>
public sealed class ServeStartupErrorTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("vigil-startup-error-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Theory]
    [InlineData("--urls http://0.0.0.0:5081", "", "Refusing to listen on http://0.0.0.0:5081 without API keys")]
    [InlineData("--judge-endpoint not-a-url --judge-model m", "", "The judge endpoint 'not-a-url' is not an absolute URL")]
    [InlineData("--judge-endpoint http://127.0.0.1:9/v1", "", "The online judge needs a model: give --judge-model")]
    [InlineData("", "Vigil__Signals__WindowSlices=0", "Vigil:Signals: ")]
    [InlineData("", "Vigil__EmbeddingDrift__Enabled=true Vigil__EmbeddingDrift__Interval=soon", "Vigil:EmbeddingDrift:Interval")]
    [InlineData("", "Vigil__EmbeddingDrift__Enabled=maybe", "Vigil:EmbeddingDrift:Enabled: 'maybe' is neither true nor false.")]
    [InlineData("", "Vigil__Server__Sqlite__PageSize=1000", "Vigil:Server:Sqlite is misconfigured")]
    [InlineData("", "Vigil__EmbeddingDrift__Enabled=true Vigil__EmbeddingDrift__ReferenceFile=/nonexistent/reference.jsonl", "/nonexistent/reference.jsonl: no such file")]
    public async Task Serve_RefusedConfiguration_ExitsTwoNamingIt(string arguments, string environment, string expected)
    {
        var info = VigilCliProcess.ServeStartInfo([.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--data", _data]);
        foreach (var variable in environment.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.Environment[variable[..variable.IndexOf('=', StringComparison.Ordinal)]] = variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        var (exitCode, stdout, errors) = await VigilCliProcess.RunToExitAsync(info);

        Assert.True(exitCode == 2, $"exit {exitCode}: {errors}{stdout}");
        Assert.StartsWith("vigil serve: ", errors, StringComparison.Ordinal);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", errors, StringComparison.Ordinal);
    }
}
