using System.Diagnostics;
using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Gateway;

/// <summary>
/// The official <c>openai</c> package for Node (installed from the npm registry by scripts/bootstrap into
/// tests/gateway-node) against the gateway in front of the OpenAI stub: JSON and streaming calls, a 429 with
/// Retry-After, and a caller that gives up on a hanging upstream; the report then shows each answered call.
/// </summary>
public sealed class NodeOpenAiClientTests : IAsyncLifetime
{
    private readonly OpenAiStubServer _upstream = new();
    private CollectorHost? _collector;

    private SqliteTestStore Store { get; } = new();

    public async Task InitializeAsync()
    {
        await _upstream.InitializeAsync();
        await Store.CreateAsync();
        _collector = await CollectorHost.StartAsync(Store, settings: new Dictionary<string, string?> { ["Vigil:Gateway:Upstream"] = _upstream.BaseUrl + "/v1" });
    }

    public async Task DisposeAsync()
    {
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }

        await Store.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task NodeOpenAi_ThroughGateway_AnswersAsUpstreamAndCallsRecorded()
    {
        var result = await RunNodeAsync(new Uri(_collector!.Address, "v1").ToString().TrimEnd('/'));

        Assert.Equal(OpenAiStubServer.NormalReply, result["json"]!["text"]!.GetValue<string>());
        Assert.Equal(OpenAiStubServer.PromptTokens, result["json"]!["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(OpenAiStubServer.NormalReply, result["stream"]!["text"]!.GetValue<string>());
        Assert.Equal(0, result["stream"]!["usageChunks"]!.GetValue<int>()); // not asked for: the gateway's own usage chunk is kept back
        Assert.Equal(429, result["rateLimited"]!["status"]!.GetValue<int>());
        Assert.Equal(OpenAiStubServer.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), result["rateLimited"]!["retryAfter"]!.GetValue<string>());
        Assert.True(result["gaveUp"]!["timedOut"]!.GetValue<bool>(), result["gaveUp"]!.ToJsonString());

        var report = await WaitForRequestsAsync(3);
        Assert.Equal(1, report["errors"]!["rate_limit"]!.GetValue<long>());
        Assert.Equal(2 * OpenAiStubServer.CompletionTokens, report["tokens"]!["output"]!.GetValue<long>());
        Assert.True(report["sla"]!["global"]!["ttft_p95_ms"]!.GetValue<double>() >= OpenAiStubServer.FirstChunkDelay.TotalMilliseconds);
    }

    private async Task<JsonObject> WaitForRequestsAsync(long requests)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var report = await _collector!.Client.GetReportAsync();
            var seen = report["sla"]!["global"]!["requests"]!.GetValue<long>();
            if (seen >= requests || DateTime.UtcNow > deadline)
            {
                Assert.Equal(requests, seen);
                return report;
            }

            await Task.Delay(20);
        }
    }

    private static async Task<JsonObject> RunNodeAsync(string baseUrl)
    {
        var directory = Path.Combine(RepositoryRoot(), "tests", "gateway-node");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "openai")),
            $"The openai package is not installed in {directory}: run scripts/bootstrap (npm ci --prefix tests/gateway-node).");
        var start = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("gateway.mjs");
        start.ArgumentList.Add(baseUrl);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"node gateway.mjs exited {process.ExitCode}: {await error}");
        return JsonNode.Parse(await output)!.AsObject();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Vigil.slnx above {AppContext.BaseDirectory}.");
    }
}
