using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using Vigil.Incidents;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Gateway;

/// <summary>The incident modes at the gateway: each answer as the mode says, well formed for the official SDK, and recorded with its degradation.</summary>
public sealed class GatewayDegradationTests : IAsyncLifetime
{
    private const string FallbackModel = "gpt-4.1-nano";

    private readonly OpenAiStubServer _upstream = new();
    private readonly FixedDegradationModeSource _mode = new();
    private CollectorHost? _collector;

    private CollectorHost Collector => _collector!;

    private SqliteTestStore Store { get; } = new();

    public async Task InitializeAsync()
    {
        await _upstream.InitializeAsync();
        await Store.CreateAsync();
        _collector = await CollectorHost.StartAsync(Store,
            settings: new Dictionary<string, string?>
            {
                ["Vigil:Gateway:Upstream"] = _upstream.BaseUrl + "/v1",
                ["Vigil:Degradation:FallbackModelId"] = FallbackModel,
            },
            configureBuilder: builder =>
            {
                builder.Services.AddSingleton<IDegradationModeSource>(_mode);
                builder.Services.AddVigilIncidents();
            });
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StaticResponse_Sdk_GetsTheSeedsReplyRecordedAsDefaultResponse(bool streamed)
    {
        _mode.Mode = DegradationMode.StaticResponse;

        var text = await AskAsync(SdkClient(), "hi", streamed);

        Assert.Equal(DegradationOptions.DefaultChineseResponse, text);
        var stored = await OnlyRecordAsync();
        Assert.Equal("default_response", stored["degradation"]!.GetValue<string>());
        Assert.Equal("success", stored["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task StaticResponse_AcceptLanguageEnglish_EnglishReply()
    {
        _mode.Mode = DegradationMode.StaticResponse;
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""");
        request.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9");

        using var response = await Collector.Client.SendAsync(request);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(DegradationOptions.DefaultEnglishResponse, body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("static_response", response.Headers.GetValues("X-Vigil-Degradation").Single());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FallbackModel_Sdk_FallbackModelAnswersRecordedAsModelFallback(bool streamed)
    {
        _mode.Mode = DegradationMode.FallbackModel;

        var text = await AskAsync(SdkClient(), "hi", streamed);

        Assert.Equal(OpenAiStubServer.NormalReply, text);
        var stored = await OnlyRecordAsync();
        Assert.Equal("model_fallback", stored["degradation"]!.GetValue<string>());
        Assert.Equal(FallbackModel, stored["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task CachedOnly_AnswerSeenInNormal_ServedFromCacheElseStaticReply()
    {
        var client = SdkClient();
        var normal = await AskAsync(client, "What is the capital of France?", streamed: false);
        _mode.Mode = DegradationMode.CachedOnly;

        var cached = await AskAsync(client, "What is the capital of France?", streamed: true);
        var missed = await AskAsync(client, "Something never asked", streamed: false);

        Assert.Equal(OpenAiStubServer.NormalReply, normal);
        Assert.Equal(normal, cached);
        Assert.Equal(DegradationOptions.DefaultChineseResponse, missed);
        var report = await WaitForRequestsAsync(3);
        Assert.Equal(3, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        var degradations = await DegradationsAsync();
        Assert.Equal(["cache_fallback", "default_response", "none"], degradations.Order().ToArray());
    }

    [Fact]
    public async Task Disabled_Answers503ProblemAndRecordsIt()
    {
        _mode.Mode = DegradationMode.Disabled;
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""");

        using var response = await Collector.Client.SendAsync(request);

        await CollectorApi.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        var stored = await OnlyRecordAsync();
        Assert.Equal("default_response", stored["degradation"]!.GetValue<string>());
        Assert.Equal("error", stored["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModeChange_NextAnswerFollowsWithoutRestart()
    {
        var client = SdkClient();
        var before = await AskAsync(client, "hi", streamed: false);
        _mode.Mode = DegradationMode.StaticResponse;
        var during = await AskAsync(client, "hi", streamed: false);
        _mode.Mode = DegradationMode.Normal;
        var after = await AskAsync(client, "hi", streamed: false);

        Assert.Equal(OpenAiStubServer.NormalReply, before);
        Assert.Equal(DegradationOptions.DefaultChineseResponse, during);
        Assert.Equal(OpenAiStubServer.NormalReply, after);
    }

    private static async Task<string> AskAsync(ChatClient client, string question, bool streamed)
    {
        if (!streamed)
        {
            return (await client.CompleteChatAsync([new UserChatMessage(question)])).Value.Content[0].Text;
        }

        var text = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(question)]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }

    private ChatClient SdkClient() =>
        new OpenAIClient(new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(Collector.Address, "v1"), RetryPolicy = new ClientRetryPolicy(0) })
            .GetChatClient(OpenAiStubServer.DefaultModel);

    private static HttpRequestMessage ChatRequest(string body) =>
        new(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private async Task<JsonObject> WaitForRequestsAsync(long requests)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var report = await Collector.Client.GetReportAsync();
            if (report["sla"]!["global"]!["requests"]!.GetValue<long>() >= requests || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(20);
        }
    }

    private async Task<JsonNode> OnlyRecordAsync()
    {
        await WaitForRequestsAsync(1);
        var stored = Assert.Single(await StoredAsync());
        return stored;
    }

    private async Task<List<string>> DegradationsAsync() =>
        [.. (await StoredAsync()).Select(r => r["degradation"]?.GetValue<string>() ?? "none")];

    // Every stored interaction, through the store the collector wrote.
    private async Task<List<JsonNode>> StoredAsync()
    {
        var store = Collector.App.Services.GetRequiredService<Vigil.Server.Storage.IVigilStore>();
        var records = new List<JsonNode>();
        await Vigil.Server.Storage.StoreScan.ForEachAsync(store, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddMinutes(1),
            r => records.Add(System.Text.Json.JsonSerializer.SerializeToNode(r, Vigil.Records.VigilJsonContext.Default.InteractionRecord)!),
            _ => { }, _ => { }, CancellationToken.None);
        return records;
    }
}
