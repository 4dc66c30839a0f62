using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Gateway;

/// <summary>
/// <c>vigil serve --gateway URL</c> with the official OpenAI .NET SDK as the caller and a real OpenAI-compatible stub on
/// loopback as the upstream: answers pass through unchanged, and every call is recorded with its tokens, cost, TTFT and
/// error category.
/// </summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private readonly OpenAiStubServer _upstream = new();
    private CollectorHost? _collector;

    private CollectorHost Collector => _collector!;

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
    public async Task CompleteChat_ThroughSdk_AnswerAsUpstreamAndCallRecordedWithTokensAndCost()
    {
        var client = SdkClient(StubScenario.Normal);

        var completion = (await client.CompleteChatAsync([new UserChatMessage("What is the capital of France?")])).Value;

        Assert.Equal(OpenAiStubServer.NormalReply, completion.Content[0].Text);
        var global = await WaitForRequestsAsync(1);
        Assert.Equal(1.0, global["success_rate"]!.GetValue<double>());
        var report = await Collector.Client.GetReportAsync();
        Assert.Equal(OpenAiStubServer.PromptTokens, report["tokens"]!["input"]!.GetValue<long>());
        Assert.Equal(OpenAiStubServer.CompletionTokens, report["tokens"]!["output"]!.GetValue<long>());
        Assert.Equal(OpenAiStubServer.CachedTokens, report["tokens"]!["cached"]!.GetValue<long>());
        Assert.True(report["cost"]!["total_usd"]!.GetValue<double>() > 0);
        Assert.NotNull(report["sla"]!["model:" + OpenAiStubServer.DefaultModel]);
    }

    [Fact]
    public async Task CompleteChatStreaming_ThroughSdk_TextAsUpstreamAndTtftRecorded()
    {
        var client = SdkClient(StubScenario.Normal);
        var text = new StringBuilder();

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("What is the capital of France?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(OpenAiStubServer.NormalReply, text.ToString());
        var global = await WaitForRequestsAsync(1);
        Assert.True(global["ttft_p95_ms"]!.GetValue<double>() >= OpenAiStubServer.FirstChunkDelay.TotalMilliseconds);
        var report = await Collector.Client.GetReportAsync();
        Assert.Equal(OpenAiStubServer.CompletionTokens, report["tokens"]!["output"]!.GetValue<long>());
    }

    [Fact]
    public async Task Streaming_CallerDidNotAskForUsage_UsageChunkKeptBackButTokensRecorded()
    {
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        using var response = await Collector.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        await WaitForRequestsAsync(1);
        var report = await Collector.Client.GetReportAsync();
        Assert.Equal(OpenAiStubServer.PromptTokens, report["tokens"]!["input"]!.GetValue<long>());
    }

    [Fact]
    public async Task Streaming_CallerAskedForUsage_UsageChunkPassedOn()
    {
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");

        using var response = await Collector.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"usage\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_UpstreamRateLimited_StatusRetryAfterAndBodyPassedBackAndRateLimitRecorded()
    {
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""", StubScenario.RateLimited);

        using var response = await Collector.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(OpenAiStubServer.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Contains("rate_limit_exceeded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var global = await WaitForRequestsAsync(1);
        Assert.Equal(0.0, global["success_rate"]!.GetValue<double>());
        var report = await Collector.Client.GetReportAsync();
        Assert.Equal(1, report["errors"]!["rate_limit"]!.GetValue<long>());
    }

    [Fact]
    public async Task CompleteChat_SdkSeesUpstreamError_ThrowsWithItsStatus()
    {
        var client = SdkClient(StubScenario.ServerError);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(500, error.Status);
        await WaitForRequestsAsync(1);
        var report = await Collector.Client.GetReportAsync();
        Assert.Equal(1, report["errors"]!["server_error"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteChat_Refusal_RecordedAsRefusalSoftError(bool streamed)
    {
        var client = SdkClient(StubScenario.Refusal);
        if (streamed)
        {
            await foreach (var _ in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
            {
            }
        }
        else
        {
            await client.CompleteChatAsync([new UserChatMessage("hi")]);
        }

        var global = await WaitForRequestsAsync(1);
        Assert.Equal(1.0, global["success_rate"]!.GetValue<double>());
        Assert.Equal(0.0, global["good_rate"]!.GetValue<double>());
        var report = await Collector.Client.GetReportAsync();
        Assert.Equal(1, report["errors"]!["refusal"]!.GetValue<long>());
    }

    [Fact]
    public async Task CompleteChat_VigilHeaders_LabelTheRecordAndTraceIdComesBack()
    {
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","user":"u-42","messages":[{"role":"user","content":"Where is my order?"}]}""");
        request.Headers.Add("X-Vigil-Feature", "billing");
        request.Headers.Add("X-Vigil-User-Tier", "pro");
        request.Headers.Add("X-Vigil-Trace-Id", "gw-trace-1");

        using var response = await Collector.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gw-trace-1", response.Headers.GetValues("X-Vigil-Trace-Id").Single());
        await WaitForRequestsAsync(1);
        var stored = (await Collector.Client.GetInteractionAsync("gw-trace-1"))["interaction"]!;
        Assert.Equal("billing", stored["feature"]!.GetValue<string>());
        Assert.Equal("pro", stored["user_tier"]!.GetValue<string>());
        Assert.Equal("u-42", stored["user_id"]!.GetValue<string>());
        Assert.Equal("Where is my order?", stored["query"]!.GetValue<string>());
        Assert.Equal(OpenAiStubServer.NormalReply, stored["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompleteChat_NoTraceIdHeader_AnswerCarriesTheGeneratedOne()
    {
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""");

        using var response = await Collector.Client.SendAsync(request);

        var traceId = response.Headers.GetValues("X-Vigil-Trace-Id").Single();
        await WaitForRequestsAsync(1);
        Assert.Equal(HttpStatusCode.OK, await Collector.Client.GetInteractionStatusAsync(traceId));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"messages":[]}""", "'model'")]
    public async Task CompleteChat_BadBody_400ProblemNamingWhatIsWrong(string body, string expected)
    {
        using var request = ChatRequest(body);

        using var response = await Collector.Client.SendAsync(request);

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_HoldsProviderKey_CallerNeedsGatewayKeyAndUpstreamGetsProviderKey()
    {
        await using var capture = await HeaderCapture.StartAsync();
        await using var store = new SqliteTestStore();
        await store.CreateAsync();
        await using var collector = await CollectorHost.StartAsync(store, settings: new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = capture.BaseUrl + "/v1",
            ["Vigil:Gateway:ApiKey"] = "sk-provider-secret",
            ["Vigil:Gateway:Keys:0"] = "gw-key-1",
        });

        using var anonymous = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""");
        using var refused = await collector.Client.SendAsync(anonymous);
        using var keyed = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""");
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "gw-key-1");
        keyed.Headers.Add("X-Vigil-Feature", "billing");
        using var answered = await collector.Client.SendAsync(keyed);

        await CollectorApi.AssertProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var seen = Assert.Single(capture.Requests);
        Assert.Equal("Bearer sk-provider-secret", seen.Authorization);
        Assert.False(seen.HadVigilHeader);
        Assert.DoesNotContain("sk-provider-secret", collector.Logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_NoProviderKey_CallersAuthorizationGoesUpstreamUntouched()
    {
        await using var capture = await HeaderCapture.StartAsync();
        await using var store = new SqliteTestStore();
        await store.CreateAsync();
        await using var collector = await CollectorHost.StartAsync(store, settings: new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = capture.BaseUrl + "/v1",
        });
        const string Sent = """{ "model": "gpt-4.1-mini",  "temperature": 0.2, "messages": [ {"role": "user", "content": "hi"} ] }""";
        using var request = ChatRequest(Sent);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-callers-own");

        using var response = await collector.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(capture.Requests);
        Assert.Equal("Bearer sk-callers-own", seen.Authorization);
        Assert.Equal(Sent, seen.Body); // byte for byte, whitespace included
        Assert.Equal(HeaderCapture.Reply, await response.Content.ReadAsStringAsync());
        await Task.Delay(100);
        Assert.DoesNotContain("sk-callers-own", collector.Logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_TwoCalls_OverheadMeasuredOncePerCallAndSmall()
    {
        var client = SdkClient(StubScenario.Normal);
        await client.CompleteChatAsync([new UserChatMessage("hi")]);
        await foreach (var _ in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
        }

        await WaitForRequestsAsync(2);
        var metrics = await Collector.Client.GetStringAsync("metrics");
        var count = metrics.Split('\n').Single(l => l.StartsWith("vigil_gateway_overhead_seconds_count", StringComparison.Ordinal));
        Assert.EndsWith(" 2", count, StringComparison.Ordinal);
        var sum = double.Parse(metrics.Split('\n').Single(l => l.StartsWith("vigil_gateway_overhead_seconds_sum", StringComparison.Ordinal)).Split(' ')[^1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sum, 0, 0.1); // the stub's 150 ms before the first chunk is the upstream's, not the gateway's
    }

    [Fact]
    public async Task PutIncident_StaticResponse_NextGatewayAnswerFollowsWithoutRestart()
    {
        var client = SdkClient(StubScenario.Normal);
        var before = (await client.CompleteChatAsync([new UserChatMessage("hi")])).Value.Content[0].Text;

        using var set = await Collector.Client.PutAsync("v1/incident",
            new StringContent("""{"mode": "static_response", "reason": "provider outage drill"}""", Encoding.UTF8, "application/json"));
        var during = (await client.CompleteChatAsync([new UserChatMessage("hi")])).Value.Content[0].Text;
        using var released = await Collector.Client.PutAsync("v1/incident", new StringContent("""{"mode": null}""", Encoding.UTF8, "application/json"));

        Assert.Equal(OpenAiStubServer.NormalReply, before);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(Vigil.Incidents.DegradationOptions.DefaultChineseResponse, during);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
    }

    [Fact]
    public async Task Streaming_ChunksPassAsTheyCome_FirstOneNotHeldBack()
    {
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        using var response = await Collector.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        var arrivals = new List<TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                arrivals.Add(clock.Elapsed);
            }
        }

        // The stub sends the role chunk, then a text chunk every 25 ms: a gateway that buffered would deliver them at once.
        Assert.True(arrivals.Count >= OpenAiStubServer.StreamedTextChunks + 1);
        Assert.True(arrivals[^1] - arrivals[0] >= OpenAiStubServer.ChunkDelay * (OpenAiStubServer.StreamedTextChunks - 1),
            string.Join(", ", arrivals.Select(a => a.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task CompleteChat_BodyOverTheLimit_413Problem()
    {
        await using var store = new SqliteTestStore();
        await store.CreateAsync();
        await using var collector = await CollectorHost.StartAsync(store, o => o.MaxBodyBytes = 2048,
            new Dictionary<string, string?> { ["Vigil:Gateway:Upstream"] = _upstream.BaseUrl + "/v1" });
        using var request = ChatRequest($$"""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"{{new string('x', 4096)}}"}]}""");

        using var response = await collector.Client.SendAsync(request);

        await CollectorApi.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task CompleteChat_ModelWithARoute_GoesToItsUpstream()
    {
        await using var capture = await HeaderCapture.StartAsync();
        await using var store = new SqliteTestStore();
        await store.CreateAsync();
        await using var collector = await CollectorHost.StartAsync(store, settings: new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = _upstream.BaseUrl + "/v1",
            ["Vigil:Gateway:Routes:local-llama"] = capture.BaseUrl + "/v1",
        });

        using var routed = ChatRequest("""{"model":"local-llama","messages":[{"role":"user","content":"hi"}]}""");
        using var routedAnswer = await collector.Client.SendAsync(routed);
        using var unrouted = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""");
        using var unroutedAnswer = await collector.Client.SendAsync(unrouted);

        Assert.Equal(HeaderCapture.Reply, await routedAnswer.Content.ReadAsStringAsync());
        Assert.Single(capture.Requests);
        Assert.Contains(OpenAiStubServer.NormalReply, await unroutedAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChatStreaming_ThroughSdk_TimeBetweenTokensMeasured()
    {
        await foreach (var _ in SdkClient(StubScenario.Normal).CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
        }

        await WaitForRequestsAsync(1);
        var metrics = await Collector.Client.GetStringAsync("metrics");
        var count = metrics.Split('\n').Single(l => l.StartsWith("llm_time_between_tokens_seconds_count", StringComparison.Ordinal));
        Assert.EndsWith(" 1", count, StringComparison.Ordinal);
        var sum = double.Parse(metrics.Split('\n').Single(l => l.StartsWith("llm_time_between_tokens_seconds_sum", StringComparison.Ordinal)).Split(' ')[^1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sum >= OpenAiStubServer.ChunkDelay.TotalSeconds * 0.9, $"{sum}"); // the stub waits 25 ms between text chunks
    }

    [Fact]
    public async Task GenerateEmbedding_ThroughSdk_VectorAsUpstreamAndTokensRecorded()
    {
        await using var capture = await HeaderCapture.StartAsync();
        await using var store = new SqliteTestStore();
        await store.CreateAsync();
        await using var collector = await CollectorHost.StartAsync(store, settings: new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = capture.BaseUrl + "/v1",
        });
        var client = new OpenAIClient(new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(collector.Address, "v1") })
            .GetEmbeddingClient("text-embedding-3-small");

        var embedding = (await client.GenerateEmbeddingAsync("Where is my order?")).Value;

        Assert.Equal([0.1f, -0.2f, 0.3f], embedding.ToFloats().ToArray());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonObject report;
        do
        {
            report = await collector.Client.GetReportAsync();
        }
        while (report["tokens"]!["input"]!.GetValue<long>() == 0 && DateTime.UtcNow < deadline && await Task.Delay(20).ContinueWith(_ => true));

        Assert.Equal(9, report["tokens"]!["input"]!.GetValue<long>());
        Assert.Equal(0, report["tokens"]!["output"]!.GetValue<long>());
        Assert.NotNull(report["sla"]!["model:text-embedding-3-small"]);
    }

    [Fact]
    public async Task CompleteChat_CallerGivesUpOnHangingUpstream_GatewayCarriesOnAndRecordsNothing()
    {
        using var impatient = Collector.CreateClient();
        impatient.Timeout = TimeSpan.FromMilliseconds(300);
        using var request = ChatRequest("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""", StubScenario.Slow);

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.SendAsync(request));
        var answer = await SdkClient(StubScenario.Normal).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(OpenAiStubServer.NormalReply, answer.Value.Content[0].Text);
        await WaitForRequestsAsync(1);
        await Task.Delay(200);
        Assert.Equal(1, (await Collector.Client.GetReportAsync())["sla"]!["global"]!["requests"]!.GetValue<long>());
    }

    private ChatClient SdkClient(StubScenario scenario) => _upstream.CreateSdkChatClient(scenario, endpoint: new Uri(Collector.Address, "v1"));

    private static HttpRequestMessage ChatRequest(string body, StubScenario scenario = StubScenario.Normal)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(OpenAiStubServer.ScenarioHeader, scenario.ToString());
        return request;
    }

    // The record is written after the answer: wait until the window counts it.
    private async Task<JsonNode> WaitForRequestsAsync(long requests)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var global = (await Collector.Client.GetReportAsync())["sla"]!["global"]!;
            if (global["requests"]!.GetValue<long>() >= requests || DateTime.UtcNow > deadline)
            {
                Assert.Equal(requests, global["requests"]!.GetValue<long>());
                return global;
            }

            await Task.Delay(20);
        }
    }

    // An upstream that answers every chat completion the same and keeps what headers it got.
    private sealed class HeaderCapture : IAsyncDisposable
    {
        public const string Reply = """{"id":"c1","object":"chat.completion","model":"gpt-4.1-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how can I help?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""";

        public const string EmbeddingReply = """{"object":"list","model":"text-embedding-3-small","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2,0.3]}],"usage":{"prompt_tokens":9,"total_tokens":9}}""";

        private readonly WebApplication _app;

        private HeaderCapture(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public List<(string Authorization, bool HadVigilHeader, string Body)> Requests { get; } = [];

        public static async Task<HeaderCapture> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            HeaderCapture? self = null;
            app.MapPost("/v1/chat/completions", async (HttpRequest request) =>
            {
                var body = await new StreamReader(request.Body).ReadToEndAsync();
                lock (self!.Requests)
                {
                    self.Requests.Add((request.Headers.Authorization.ToString(), request.Headers.Keys.Any(k => k.StartsWith("X-Vigil", StringComparison.OrdinalIgnoreCase)), body));
                }

                return Results.Text(Reply, "application/json");
            });
            app.MapPost("/v1/embeddings", () => Results.Text(EmbeddingReply, "application/json"));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
            self = new HeaderCapture(app, address);
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
