using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Vigil.Cli.Demo;

namespace Vigil.Cli.Tests.Demo;

/// <summary>The demo's simulated provider: the same seed gives the same run, the timeline shapes it, and it speaks OpenAI's wire format.</summary>
public sealed class SimulatedProviderTests : IAsyncLifetime
{
    private const string English = "Where is my order?";
    private const string Chinese = "我的订单到哪里了?";
    private SimulatedProvider? _provider;

    private SimulatedProvider Provider => _provider!;

    public async Task InitializeAsync() => _provider = await SimulatedProvider.StartAsync(DemoTimeline.Default, seed: 42, speed: 1000);

    public async Task DisposeAsync() => await _provider!.DisposeAsync();

    [Fact]
    public async Task Plan_SameSeedAndCall_SameAnswerWhateverTheOrder()
    {
        await using var other = await SimulatedProvider.StartAsync(DemoTimeline.Default, seed: 42, speed: 1000);
        await using var reseeded = await SimulatedProvider.StartAsync(DemoTimeline.Default, seed: 7, speed: 1000);

        var forward = Enumerable.Range(0, 200).Select(i => Provider.Plan(i, i / 200.0, English, "gpt-4.1-mini")).ToList();
        var backward = Enumerable.Range(0, 200).Reverse().Select(i => other.Plan(i, i / 200.0, English, "gpt-4.1-mini")).Reverse().ToList();
        var differentSeed = Enumerable.Range(0, 200).Select(i => reseeded.Plan(i, i / 200.0, English, "gpt-4.1-mini")).ToList();

        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, differentSeed);
    }

    [Fact]
    public void Plan_OutageThenSteady_ErrorShareFollowsTheTimeline()
    {
        double ErrorShare(double progress) =>
            Enumerable.Range(0, 4000).Count(i => Provider.Plan(i, progress, English, "gpt-4.1-mini").Status != 200) / 4000.0;

        Assert.InRange(ErrorShare(0.25), 0.07, 0.11); // the outage: 9 %, success ≈ 91 % (the seed's P1)
        Assert.InRange(ErrorShare(0.01), 0.0, 0.02);   // steady: 0.5 %
    }

    [Fact]
    public void Plan_OutageOnTheFallbackModel_FewerErrorsMostlyRateLimits()
    {
        var plans = Enumerable.Range(0, 4000).Select(i => Provider.Plan(i, 0.25, English, DemoTimeline.FallbackModel)).Where(p => p.Status != 200).ToList();

        Assert.InRange(plans.Count / 4000.0, 0.05, 0.09); // 7 %: the success rate stays below 95 % while the responder falls back
        Assert.InRange(plans.Count(p => p.Status == 429) / (double)plans.Count, 0.3, 0.5);
    }

    [Fact]
    public async Task Judge_ThroughLlmJudge_MarkedAnswerIsAHallucinationOthersAreGood()
    {
        using var chat = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("sim"), new OpenAI.OpenAIClientOptions { Endpoint = Provider.JudgeBaseUrl })
            .GetChatClient("judge-simulated").AsIChatClient();
        var judge = new Vigil.Evaluation.Judge.LlmJudge(chat, new Vigil.Evaluation.Judge.LlmJudgeOptions { JudgeModel = "judge-simulated" });

        var made = (await judge.JudgeAsync(new Vigil.Evaluation.Judge.JudgeRequest
        {
            TraceId = "t1", Query = English, Response = "Refunds within a year. " + SimulatedProvider.HallucinationMarker,
        })).Evaluation;
        var fine = (await judge.JudgeAsync(new Vigil.Evaluation.Judge.JudgeRequest
        {
            TraceId = "t2", Query = English, Response = "You can track it on the My Orders page. (simulated answer)",
        })).Evaluation;

        Assert.True(made!.IsHallucination);
        Assert.Equal(2, made.Overall);
        Assert.False(fine!.IsHallucination);
        Assert.True(fine.Overall >= 4);
    }

    [Fact]
    public void Plan_LatencyLongTailed_P99WellAboveMedian()
    {
        var latencies = Enumerable.Range(0, 5000).Select(i => Provider.Plan(i, 0.01, English, "gpt-4.1-mini").LatencyMs).Order().ToList();

        var median = latencies[2500];
        Assert.InRange(median, 700, 1100);
        Assert.True(latencies[4950] > 2.5 * median, $"p99 {latencies[4950]:0} ms, median {median:0} ms");
    }

    [Fact]
    public void Plan_HallucinationSpike_MarkedAnswersForTheJudge()
    {
        double Share(double progress) => Enumerable.Range(0, 4000)
            .Count(i => Provider.Plan(i, progress, English, "gpt-4.1-mini").Text.Contains(SimulatedProvider.HallucinationMarker, StringComparison.Ordinal)) / 4000.0;

        Assert.InRange(Share(0.75), 0.09, 0.15);
        Assert.InRange(Share(0.01), 0.01, 0.06);
    }

    [Fact]
    public async Task Post_Json_OpenAiCompletionWithThePlannedTextAndUsage()
    {
        var plan = Provider.Plan(3, 0.01, Chinese, "gpt-4.1-mini");
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(3, 0.01, Chinese, stream: false));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(plan.Text, body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Contains("simulated", plan.Text, StringComparison.Ordinal);
        Assert.Contains("订单", plan.Text, StringComparison.Ordinal);
        Assert.Equal(plan.InputTokens, body["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_Stream_ChunksAddUpToThePlannedTextUsageOnlyWhenAsked(bool includeUsage)
    {
        var plan = Provider.Plan(4, 0.01, English, "gpt-4.1-mini");
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(4, 0.01, English, stream: true, includeUsage));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.Equal(plan.Text, string.Concat(chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>())));
        Assert.Equal(includeUsage, chunks.Any(c => c["usage"] is not null));
    }

    [Fact]
    public async Task Post_OutageCall_ErrorStatusWithOpenAiErrorBody()
    {
        var call = Enumerable.Range(0, 1000).First(i => Provider.Plan(i, 0.25, English, "gpt-4.1-mini").Status == 429);
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(call, 0.25, English, stream: false));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    private HttpRequestMessage Request(long call, double progress, string question, bool stream, bool includeUsage = false)
    {
        var body = new JsonObject
        {
            ["model"] = "gpt-4.1-mini",
            ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
        };
        if (includeUsage)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Provider.BaseUrl + "/chat/completions"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SimulatedProvider.CallHeader, call.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SimulatedProvider.ProgressHeader, progress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }
}
