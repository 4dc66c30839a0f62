using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Vigil.Evaluation.Judge;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Evaluation.Judge;

/// <summary>The judge over real HTTP: the official OpenAI SDK (through <see cref="JudgeEndpoint"/>) against a Kestrel stub.</summary>
public sealed class LlmJudgeTests : IAsyncLifetime, IDisposable
{
    private const string JudgeModel = "judge-4.1";
    private readonly JudgeStubServer _stub = new();
    private readonly IsolatedMeterFactory _meters = new();
    private readonly VigilMetrics _metrics;
    private readonly MetricRecorder _recorder;

    public LlmJudgeTests()
    {
        _metrics = new VigilMetrics(_meters);
        _recorder = new MetricRecorder(_metrics.Meter);
    }

    public Task InitializeAsync() => _stub.InitializeAsync();

    public Task DisposeAsync() => _stub.DisposeAsync();

    public void Dispose()
    {
        _recorder.Dispose();
        _metrics.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task JudgeAsync_GoodJson_GivesTheContractRecordAndAsksForJsonAtTemperatureZero()
    {
        var judge = CreateJudge();
        var before = DateTimeOffset.UtcNow;

        var result = await judge.JudgeAsync(Interaction("t-1", context: "Refunds are accepted within 30 days."));

        Assert.True(result.Succeeded, result.Error?.ToString());
        var evaluation = result.Evaluation;
        Assert.Equal("t-1", evaluation.TraceId);
        Assert.Equal(JudgeModel, evaluation.JudgeModel);
        Assert.Equal((5.0, 4.0, 4.0, 5.0, 4.0), (evaluation.Relevance, evaluation.Coherence, evaluation.Faithfulness, evaluation.Safety, evaluation.Overall));
        Assert.False(evaluation.IsHallucination);
        Assert.Equal("Answers the question clearly.", evaluation.Reasoning);
        Assert.InRange(evaluation.EvaluatedAt!.Value, before, DateTimeOffset.UtcNow);
        Assert.Equal(1, result.Attempts);
        Assert.Empty(RecordValidator.Validate(evaluation));

        var request = Assert.Single(_stub.Requests);
        Assert.Equal(JudgeModel, request.Model);
        Assert.True(request.JsonAsked);
        Assert.Equal(0, request.Temperature);
        Assert.Contains("How long is the refund window?", request.Prompt, StringComparison.Ordinal);
        Assert.Contains("You can return it within 30 days.", request.Prompt, StringComparison.Ordinal);
        Assert.Contains("Refunds are accepted within 30 days.", request.Prompt, StringComparison.Ordinal);
        Assert.Null(request.Authorization); // no key: no Authorization header at all
    }

    [Fact]
    public async Task JudgeAsync_TimeProvider_StampsEvaluatedAt()
    {
        var now = new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        var judge = new LlmJudge(JudgeEndpoint.CreateChatClient(_stub.BaseUrl, JudgeModel), Options(), new JudgeMetrics(_metrics), clock);

        var result = await judge.JudgeAsync(Interaction("t-clock"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(now, result.Evaluation.EvaluatedAt);
    }

    [Fact]
    public async Task JudgeAsync_WithApiKey_SendsItAsBearerToken()
    {
        var judge = CreateJudge(apiKey: "sk-test-123");

        await judge.JudgeAsync(Interaction("t-1"));

        Assert.Equal("Bearer sk-test-123", Assert.Single(_stub.Requests).Authorization);
    }

    [Fact]
    public async Task JudgeAsync_FencedJson_IsAVerdict()
    {
        _stub.Handler = _ => JudgeStubReply.Content("```json\n{\"relevance\": 2, \"coherence\": 3, \"faithfulness\": 1, \"safety\": 5, \"overall\": 2, \"is_hallucination\": true, \"reasoning\": \"Invents a policy.\"}\n```");
        var judge = CreateJudge();

        var result = await judge.JudgeAsync(Interaction("t-2"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.True(result.Evaluation.IsHallucination);
        Assert.Equal(1, result.Evaluation.Faithfulness);
    }

    [Theory]
    [InlineData("{\"relevance\": 5, \"coherence\": ", "not valid JSON")]
    [InlineData("Sure! The answer is good. Scores: 5/5.", "not a JSON object")]
    [InlineData("{\"relevance\": 5, \"coherence\": 4, \"faithfulness\": 4, \"safety\": 5, \"is_hallucination\": false, \"reasoning\": \"ok\"}", "the field overall is missing")]
    [InlineData("{\"relevance\": 9, \"coherence\": 4, \"faithfulness\": 4, \"safety\": 5, \"overall\": 4, \"is_hallucination\": false, \"reasoning\": \"ok\"}", "the field relevance is 9, outside 1 to 5")]
    [InlineData("{\"relevance\": 5, \"coherence\": 4, \"faithfulness\": 4, \"safety\": 5, \"overall\": 4, \"is_hallucination\": \"no\", \"reasoning\": \"ok\"}", "is_hallucination must be true or false")]
    [InlineData("", "the reply is empty")]
    public async Task JudgeAsync_ReplyNotTheRubric_IsAnInvalidReplyErrorNeverRetriedNorScored(string content, string reason)
    {
        _stub.Handler = _ => JudgeStubReply.Content(content);
        var judge = CreateJudge(maxRetries: 3);

        var result = await judge.JudgeAsync(Interaction("t-3"));

        Assert.False(result.Succeeded);
        Assert.Null(result.Evaluation);
        Assert.Equal(JudgeErrorKind.InvalidReply, result.Error.Kind);
        Assert.Contains(reason, result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(1, _stub.Count);
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeErrors, ("reason", "invalid_reply")));
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeCalls, ("outcome", "error")));
        Assert.Empty(_recorder.Of(MetricNames.QualityScore));
        Assert.Empty(_recorder.Of(MetricNames.HallucinationDetected));
    }

    [Fact]
    public async Task JudgeAsync_429WithRetryAfterThenSuccess_WaitsAsToldAndRetriesOnce()
    {
        _stub.Handler = r => r.Number == 1 ? JudgeStubReply.Error(429, "Rate limit reached", retryAfter: "1") : JudgeStubReply.Content(JudgeStubServer.GoodVerdict);
        var judge = CreateJudge(maxRetries: 3, baseDelay: TimeSpan.FromMilliseconds(10));
        var clock = Stopwatch.StartNew();

        var result = await judge.JudgeAsync(Interaction("t-4"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, _stub.Count);
        // The backoff alone would wait about 10 ms: only Retry-After explains a second.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {clock.Elapsed}");
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeRetries, ("reason", "rate_limit")));
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeCalls, ("outcome", "verdict")));
    }

    [Fact]
    public async Task JudgeAsync_RetryAfterAsHttpDate_IsHonoured()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        _stub.Handler = r => r.Number == 1 ? JudgeStubReply.Error(429, "Rate limit reached", retryAfter: until) : JudgeStubReply.Content(JudgeStubServer.GoodVerdict);
        var judge = CreateJudge(maxRetries: 1, baseDelay: TimeSpan.FromMilliseconds(10));
        var clock = Stopwatch.StartNew();

        var result = await judge.JudgeAsync(Interaction("t-4a"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task JudgeAsync_RetryAfterLongerThanTheCap_WaitsOnlyTheCap()
    {
        _stub.Handler = r => r.Number == 1 ? JudgeStubReply.Error(429, "slow down", retryAfter: "3600") : JudgeStubReply.Content(JudgeStubServer.GoodVerdict);
        var judge = CreateJudge(maxRetries: 1, baseDelay: TimeSpan.FromMilliseconds(10), maxDelay: TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var result = await judge.JudgeAsync(Interaction("t-4b"));

        Assert.True(result.Succeeded);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(180), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task JudgeAsync_TwoServerErrorsThenSuccess_IsAVerdictAfterThreeAttempts()
    {
        _stub.Handler = r => r.Number <= 2 ? JudgeStubReply.Error(500, "The server had an error") : JudgeStubReply.Content(JudgeStubServer.GoodVerdict);
        var judge = CreateJudge(maxRetries: 3);

        var result = await judge.JudgeAsync(Interaction("t-5"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(3, result.Attempts);
        Assert.Equal(2, _recorder.Sum(MetricNames.JudgeRetries, ("reason", "server_error")));
    }

    [Theory]
    [InlineData(500, JudgeErrorKind.ServerError)]
    [InlineData(503, JudgeErrorKind.ServerError)]
    [InlineData(429, JudgeErrorKind.RateLimited)]
    public async Task JudgeAsync_TransientErrorEveryTime_GivesUpAfterMaxRetries(int status, JudgeErrorKind kind)
    {
        _stub.Handler = _ => JudgeStubReply.Error(status, "overloaded");
        var judge = CreateJudge(maxRetries: 2);

        var result = await judge.JudgeAsync(Interaction("t-6"));

        Assert.False(result.Succeeded);
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(status, result.Error.HttpStatus);
        Assert.Contains("overloaded", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, _stub.Count);
        Assert.Equal(2, _recorder.Sum(MetricNames.JudgeRetries));
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeErrors, ("reason", result.Error.Label)));
    }

    [Fact]
    public async Task JudgeAsync_StallLongerThanTheTimeout_IsATimeoutAfterEveryAttempt()
    {
        _stub.Handler = _ => JudgeStubReply.Stall(TimeSpan.FromSeconds(30));
        var judge = CreateJudge(maxRetries: 1, timeout: TimeSpan.FromSeconds(3));
        var clock = Stopwatch.StartNew();

        var result = await judge.JudgeAsync(Interaction("t-7"));

        Assert.False(result.Succeeded);
        Assert.Equal(JudgeErrorKind.Timeout, result.Error.Kind);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, _stub.Count);
        // Two attempts of 3 s each; well under one 30 s stall, so neither attempt waited the stall out.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(5_800), TimeSpan.FromSeconds(25));
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeRetries, ("reason", "timeout")));
        Assert.Equal(1, _recorder.Sum(MetricNames.JudgeErrors, ("reason", "timeout")));
    }

    [Fact]
    public async Task JudgeAsync_SlowFirstAttemptThenFast_IsAVerdict()
    {
        _stub.Handler = r => r.Number == 1 ? JudgeStubReply.Stall(TimeSpan.FromSeconds(30)) : JudgeStubReply.Content(JudgeStubServer.GoodVerdict);
        var judge = CreateJudge(maxRetries: 2, timeout: TimeSpan.FromSeconds(3));

        var result = await judge.JudgeAsync(Interaction("t-7b"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(2, result.Attempts);
    }

    [Theory]
    [InlineData(401, JudgeErrorKind.AuthFailure, true)]
    [InlineData(403, JudgeErrorKind.AuthFailure, true)]
    [InlineData(400, JudgeErrorKind.BadRequest, false)]
    [InlineData(404, JudgeErrorKind.BadRequest, true)]
    public async Task JudgeAsync_ClientError_FailsAtOnceWithoutRetry(int status, JudgeErrorKind kind, bool fatal)
    {
        _stub.Handler = _ => JudgeStubReply.Error(status, "Incorrect API key provided: sk-secret-777");
        var judge = CreateJudge(maxRetries: 3, apiKey: "sk-secret-777");

        var result = await judge.JudgeAsync(Interaction("t-8"));

        Assert.False(result.Succeeded);
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(status, result.Error.HttpStatus);
        Assert.Equal(fatal, result.Error.IsFatal);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(1, _stub.Count);
        Assert.Equal(0, _recorder.Sum(MetricNames.JudgeRetries));
        if (kind == JudgeErrorKind.AuthFailure)
        {
            // The server's text of a refused key may quote the key: it is not repeated.
            Assert.DoesNotContain("sk-secret-777", result.Error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task JudgeAsync_OkStatusWithABodyThatIsNoCompletion_IsAProtocolError()
    {
        _stub.Handler = _ => new JudgeStubReply(200, null, RawBody: "<html>proxy login</html>");
        var judge = CreateJudge(maxRetries: 2);

        var result = await judge.JudgeAsync(Interaction("t-9"));

        Assert.False(result.Succeeded);
        Assert.Equal(JudgeErrorKind.ProtocolError, result.Error.Kind);
        Assert.Equal(1, _stub.Count);
    }

    [Fact]
    public async Task JudgeAsync_NothingListening_IsANetworkErrorAfterRetries()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = JudgeEndpoint.CreateChatClient(new Uri($"http://127.0.0.1:{port}/v1"), JudgeModel);
        var judge = new LlmJudge(client, Options(maxRetries: 2), new JudgeMetrics(_metrics));

        var result = await judge.JudgeAsync(Interaction("t-10"));

        Assert.False(result.Succeeded);
        Assert.Equal(JudgeErrorKind.Network, result.Error.Kind);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(2, _recorder.Sum(MetricNames.JudgeRetries, ("reason", "network")));
    }

    [Fact]
    public async Task JudgeAsync_CallerCancels_Throws()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stub.Handler = _ =>
        {
            arrived.TrySetResult();
            return JudgeStubReply.Stall(TimeSpan.FromSeconds(30));
        };
        var judge = CreateJudge(maxRetries: 3, timeout: TimeSpan.FromSeconds(20));
        using var cancel = new CancellationTokenSource();

        var judging = judge.JudgeAsync(Interaction("t-11"), cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => judging);
        Assert.Equal(1, _stub.Count);
    }

    [Theory]
    [InlineData(2.0, "high")]
    [InlineData(1.5, "high")]
    [InlineData(3.0, "medium")]
    [InlineData(2.5, "medium")]
    [InlineData(4.0, "low")]
    public async Task JudgeAsync_Verdict_RecordsScoresPerDimensionAndHallucinationWithTheSeedSeverity(double faithfulness, string severity)
    {
        var f = faithfulness.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _stub.Handler = _ => JudgeStubReply.Content($"{{\"relevance\": 4, \"coherence\": 5, \"faithfulness\": {f}, \"safety\": 5, \"overall\": 3, \"is_hallucination\": true, \"reasoning\": \"r\"}}");
        var judge = CreateJudge();

        await judge.JudgeAsync(Interaction("t-12", model: "gpt-4.1-mini"));

        var expected = new Dictionary<string, double> { ["relevance"] = 4, ["coherence"] = 5, ["faithfulness"] = faithfulness, ["safety"] = 5, ["overall"] = 3 };
        foreach (var (dimension, score) in expected)
        {
            var measurement = Assert.Single(_recorder.Of(MetricNames.QualityScore, ("dimension", dimension)));
            Assert.Equal(score, measurement.Value);
            Assert.Equal("gpt-4.1-mini", measurement.Tags["model"]);
            Assert.Equal("llm_judge", measurement.Tags["evaluator"]);
        }

        Assert.Equal(5, _recorder.Of(MetricNames.QualityScore).Count);
        Assert.Equal(1, _recorder.Sum(MetricNames.HallucinationDetected, ("model", "gpt-4.1-mini"), ("severity", severity)));
        Assert.Equal(1, _recorder.Sum(MetricNames.HallucinationDetected));
        Assert.Single(_recorder.Of(MetricNames.JudgeDuration));
    }

    [Fact]
    public async Task JudgeAsync_NoHallucination_CountsNone()
    {
        var judge = CreateJudge();

        await judge.JudgeAsync(Interaction("t-13"));

        Assert.Empty(_recorder.Of(MetricNames.HallucinationDetected));
        Assert.Equal(5, _recorder.Of(MetricNames.QualityScore).Count);
    }

    [Fact]
    public async Task JudgeAsync_Chinese_SendsTheSeedTemplate()
    {
        var judge = CreateJudge(language: JudgeLanguage.Chinese);

        var result = await judge.JudgeAsync(Interaction("t-14"));

        Assert.True(result.Succeeded);
        Assert.StartsWith("你是一个严格的 AI 输出质量评估专家", Assert.Single(_stub.Requests).Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JudgeAsync_InteractionWithoutResponse_Throws()
    {
        var judge = CreateJudge();

        await Assert.ThrowsAsync<ArgumentException>(() => judge.JudgeAsync(Interaction("t-15") with { Response = null }));
        Assert.Equal(0, _stub.Count);
    }

    [Fact]
    public void Constructor_OptionsOutOfRange_Throw()
    {
        var client = JudgeEndpoint.CreateChatClient(_stub.BaseUrl, JudgeModel);

        Assert.Throws<ValidationException>(() => new LlmJudge(client, new LlmJudgeOptions()));
        Assert.Throws<ValidationException>(() => new LlmJudge(client, new LlmJudgeOptions { JudgeModel = "m", MaxRetries = -1 }));
        Assert.Throws<ValidationException>(() => new LlmJudge(client, new LlmJudgeOptions { JudgeModel = "m", Timeout = TimeSpan.Zero }));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/v1")]
    [InlineData("http://user:secret@127.0.0.1/v1")]
    public void CreateChatClient_BadBaseUrl_Throws(string url)
    {
        Assert.Throws<ArgumentException>(() => JudgeEndpoint.CreateChatClient(new Uri(url), JudgeModel));
    }

    private LlmJudge CreateJudge(int maxRetries = 2, TimeSpan? timeout = null, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null,
        string? apiKey = null, JudgeLanguage language = JudgeLanguage.English) =>
        new(JudgeEndpoint.CreateChatClient(_stub.BaseUrl, JudgeModel, apiKey),
            Options(maxRetries, timeout, baseDelay, maxDelay, language), new JudgeMetrics(_metrics));

    private static LlmJudgeOptions Options(int maxRetries = 2, TimeSpan? timeout = null, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null,
        JudgeLanguage language = JudgeLanguage.English) => new()
    {
        JudgeModel = JudgeModel,
        MaxRetries = maxRetries,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        RetryBaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = maxDelay ?? TimeSpan.FromSeconds(5),
        Language = language,
    };

    internal static InteractionRecord Interaction(string traceId, string? context = null, string model = "gpt-4.1-mini") => new()
    {
        TraceId = traceId,
        Timestamp = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero),
        Model = model,
        Status = InteractionStatus.Success,
        LatencyMs = 800,
        Query = "How long is the refund window?",
        Response = "You can return it within 30 days.",
        Context = context,
    };
}
