using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Records;
using Vigil.Sinks;

namespace Vigil.Tests.Sinks;

public sealed class CollectorSinkTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Emit_BatchSizeReached_PostsFullBatchesWithoutWaitingForTheInterval()
    {
        await using var harness = new CollectorSinkHarness();

        Assert.All(harness.EmitInteractions(7), Assert.True);

        await harness.UntilAsync(() => harness.Stub.Requests.Count == 2, "two full batches are posted");
        await CollectorSinkHarness.SettleAsync();
        Assert.Equal(2, harness.Stub.Requests.Count); // the seventh waits for its interval
        Assert.All(harness.Stub.Requests, r => Assert.Equal(3, r.Count));

        await harness.UntilAsync(() => harness.Stub.Requests.Count == 3, "the last record is posted after the interval", Step);
        Assert.Equal([.. Enumerable.Range(0, 7).Select(i => $"t{i}")], harness.Stub.Delivered);
        Assert.Equal(0, harness.Sink.Dropped);
    }

    [Fact]
    public async Task Emit_FewerThanBatchSize_PostsWhenTheIntervalHasPassed()
    {
        await using var harness = new CollectorSinkHarness();

        harness.Sink.Emit(CollectorSinkHarness.Interaction("a"));
        harness.Sink.Emit(CollectorSinkHarness.Interaction("b"));
        await CollectorSinkHarness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromMilliseconds(999));
        await CollectorSinkHarness.SettleAsync();
        Assert.Empty(harness.Stub.Requests);

        await harness.UntilAsync(() => harness.Stub.Requests.Count == 1, "the partial batch is posted", TimeSpan.FromMilliseconds(1));
        Assert.Equal(["a", "b"], harness.Stub.Requests.Single().Ids);
        Assert.Equal(0, harness.Sink.Pending);
    }

    [Fact]
    public async Task Emit_InteractionsAndFeedback_PostEachToItsPathWithKeyAndIdempotencyKey()
    {
        await using var harness = new CollectorSinkHarness(new Dictionary<string, string?> { ["Vigil:Collector:ApiKey"] = "ingest-key-1" });

        harness.Sink.Emit(CollectorSinkHarness.Interaction("t1"));
        harness.Sink.Emit(new FeedbackRecord { Type = FeedbackType.Thumbs, Value = 1, TraceId = "t1" });
        await harness.UntilAsync(() => harness.Stub.Requests.Count == 2, "both batches are posted", Step);

        var interactions = Assert.Single(harness.Stub.Requests, r => r.Uri.AbsolutePath == "/v1/interactions");
        var feedback = Assert.Single(harness.Stub.Requests, r => r.Uri.AbsolutePath == "/v1/feedback");
        Assert.StartsWith("{\"interactions\":[{", interactions.Body, StringComparison.Ordinal);
        Assert.StartsWith("{\"feedback\":[{", feedback.Body, StringComparison.Ordinal);
        Assert.Equal("thumbs", feedback.Records[0]!["type"]!.GetValue<string>());
        foreach (var request in harness.Stub.Requests)
        {
            Assert.Equal("application/json", request.ContentType);
            Assert.Equal("Bearer ingest-key-1", request.Authorization);
            Assert.True(Guid.TryParse(request.IdempotencyKey, out _), $"Idempotency-Key: '{request.IdempotencyKey}'");
        }

        Assert.NotEqual(interactions.IdempotencyKey, feedback.IdempotencyKey);
    }

    [Fact]
    public void AddVigilCollectorSink_CalledTwice_AddsNothingTheSecondTime()
    {
        var services = new ServiceCollection().AddVigilCollectorSink();
        var registered = services.Count;

        services.AddVigilCollectorSink(); // a second resilience handler would retry each retry

        Assert.Equal(registered, services.Count);
    }

    [Fact]
    public async Task Emit_EndpointWithPath_PostsBelowIt()
    {
        await using var harness = new CollectorSinkHarness(new Dictionary<string, string?> { ["Vigil:Collector:Endpoint"] = "https://collector.test/vigil" });

        harness.Sink.Emit(CollectorSinkHarness.Interaction("t1"));
        await harness.UntilAsync(() => harness.Stub.Requests.Count == 1, "the batch is posted", Step);

        Assert.Equal("https://collector.test/vigil/v1/interactions", harness.Stub.Requests.Single().Uri.AbsoluteUri);
        Assert.Null(harness.Stub.Requests.Single().Authorization);
    }

    [Fact]
    public async Task Emit_BufferFull_DropsNewRecordsAndCountsThem()
    {
        await using var harness = new CollectorSinkHarness(new Dictionary<string, string?>
        {
            ["Vigil:Collector:BufferCapacity"] = "5",
            ["Vigil:Collector:BatchSize"] = "2",
        });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Stub.Answer = async (request, _) =>
        {
            await gate.Task;
            return CollectorStub.Accepted(request.Count);
        };

        var taken = Enumerable.Range(0, 8).Select(i => harness.Sink.Emit(CollectorSinkHarness.Interaction($"t{i}"))).ToList();

        Assert.Equal([true, true, true, true, true, false, false, false], taken); // the batch being sent holds its places
        Assert.Equal(3, harness.Sink.Dropped);
        Assert.Equal(3, harness.DroppedFor("buffer_full"));
        Assert.Single(harness.Logs.Entries, e => e.Contains("is full", StringComparison.Ordinal));

        gate.SetResult();
        await harness.UntilAsync(() => harness.Stub.Delivered.Count == 5, "the buffered records are delivered", Step);
        Assert.Equal(0, harness.Sink.Pending);
        Assert.True(harness.Sink.Emit(CollectorSinkHarness.Interaction("t-after")));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, 1)]
    [InlineData(HttpStatusCode.Unauthorized, null)]
    [InlineData(HttpStatusCode.Forbidden, null)]
    [InlineData(HttpStatusCode.NotFound, null)]
    [InlineData(HttpStatusCode.UnprocessableEntity, null)]
    public async Task Post_ClientError_IsNotRetriedAndItsRefusedRecordsCountAsDropped(HttpStatusCode status, int? accepted)
    {
        await using var harness = new CollectorSinkHarness(new Dictionary<string, string?> { ["Vigil:Collector:ApiKey"] = "ingest-key-1" });
        harness.Stub.Answer = (_, _) => Task.FromResult(CollectorStub.Problem(status, "Refused", accepted, (0, "latency_ms", "must be at least 0 (got secret prompt text)"), (2, "model", "is required")));

        harness.EmitInteractions(3);

        await harness.UntilAsync(() => harness.Sink.Pending == 0, "the batch is settled");
        for (var i = 0; i < 20; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(2);
        }

        Assert.Single(harness.Stub.Requests);
        var refused = 3 - (accepted ?? 0);
        Assert.Equal(refused, harness.Sink.Dropped);
        Assert.Equal(refused, harness.DroppedFor("rejected"));
        var log = Assert.Single(harness.Logs.Entries, e => e.Contains("refused", StringComparison.Ordinal));
        Assert.Contains($"{(int)status}", log, StringComparison.Ordinal);
        Assert.Contains("[0].latency_ms, [2].model", log, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", harness.Logs.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ingest-key-1", harness.Logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TransientFailures_AreRetriedUnderTheSameIdempotencyKey()
    {
        await using var harness = new CollectorSinkHarness();
        HttpStatusCode[] failures = [HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.TooManyRequests, HttpStatusCode.RequestTimeout];
        harness.Stub.Answer = (request, n) => n switch
        {
            < 4 => Task.FromResult(CollectorStub.Problem(failures[n], "Not now")),
            4 => throw new HttpRequestException("Connection refused"),
            _ => Task.FromResult(CollectorStub.Accepted(request.Count)),
        };

        harness.EmitInteractions(3);

        await harness.UntilAsync(() => harness.Stub.Delivered.Count == 3, "the batch is delivered after the failures", Step);

        Assert.Equal(6, harness.Stub.Requests.Count);
        Assert.Single(harness.Stub.Requests.Select(r => r.IdempotencyKey).Distinct());
        Assert.All(harness.Stub.Requests, r => Assert.Equal(harness.Stub.Requests.First().Body, r.Body));
        Assert.Equal(0, harness.Sink.Dropped);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, 7, null, 7)]
    [InlineData(HttpStatusCode.TooManyRequests, 3600, "00:00:02", 2)] // no longer than MaxRetryAfter
    public async Task Post_RetryAfter_WaitsAsLongAsTheCollectorSays(HttpStatusCode status, int retryAfterSeconds, string? maxRetryAfter, double waitSeconds)
    {
        await using var harness = new CollectorSinkHarness(maxRetryAfter is null ? null : new Dictionary<string, string?> { ["Vigil:Collector:MaxRetryAfter"] = maxRetryAfter });
        harness.Stub.Answer = (request, n) =>
        {
            var answer = n > 0 ? CollectorStub.Accepted(request.Count) : CollectorStub.Problem(status, "Not now");
            answer.Headers.RetryAfter = new(TimeSpan.FromSeconds(retryAfterSeconds));
            return Task.FromResult(answer);
        };

        harness.EmitInteractions(3);

        await harness.UntilAsync(() => harness.Stub.Requests.Count == 1, "the first attempt");
        await CollectorSinkHarness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(waitSeconds - 0.1)); // far beyond the 10-100 ms backoff the options give
        await CollectorSinkHarness.SettleAsync();
        Assert.Single(harness.Stub.Requests);

        await harness.UntilAsync(() => harness.Stub.Delivered.Count == 3, $"the retry after {waitSeconds} s", TimeSpan.FromSeconds(0.1));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Fact]
    public async Task Post_BodyTooLarge_SendsTheBatchInHalves()
    {
        await using var harness = new CollectorSinkHarness();
        harness.Stub.Answer = (request, _) => Task.FromResult(request.Count > 1
            ? CollectorStub.Problem(HttpStatusCode.RequestEntityTooLarge, "Body too large")
            : CollectorStub.Accepted(1));

        harness.EmitInteractions(3);

        await harness.UntilAsync(() => harness.Stub.Delivered.Count == 3, "every record is delivered on its own");

        Assert.Equal(["t0", "t1", "t2"], harness.Stub.Delivered);
        Assert.Equal([3, 1, 2, 1, 1], harness.Stub.Requests.Select(r => r.Count));
        Assert.Equal(5, harness.Stub.Requests.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.Equal(0, harness.Sink.Dropped);
    }

    [Fact]
    public async Task Post_RecordThatCannotBeWritten_IsDroppedAlone()
    {
        await using var harness = new CollectorSinkHarness();

        harness.Sink.Emit(CollectorSinkHarness.Interaction("t0"));
        harness.Sink.Emit(CollectorSinkHarness.Interaction("t1") with { LatencyMs = double.NaN });
        harness.Sink.Emit(CollectorSinkHarness.Interaction("t2"));

        await harness.UntilAsync(() => harness.Sink.Pending == 0, "the batch is settled");
        Assert.Equal(["t0", "t2"], harness.Stub.Delivered);
        Assert.Equal(1, harness.DroppedFor("invalid"));
    }

    [Fact]
    public async Task StopAsync_RecordsBuffered_PostsThemWithoutWaitingForTheInterval()
    {
        await using var harness = new CollectorSinkHarness();
        harness.Sink.Emit(CollectorSinkHarness.Interaction("a"));
        harness.Sink.Emit(new FeedbackRecord { Type = FeedbackType.Nps, Value = 9 });

        await harness.Sink.StopAsync();

        Assert.Equal(2, harness.Stub.Delivered.Count);
        Assert.False(harness.Sink.Emit(CollectorSinkHarness.Interaction("late")));
        Assert.Equal(1, harness.DroppedFor("shutdown"));
    }

    [Fact]
    public async Task StopAsync_CollectorDown_DropsWhatIsLeftAfterTheShutdownTimeout()
    {
        await using var harness = new CollectorSinkHarness(new Dictionary<string, string?> { ["Vigil:Collector:ShutdownTimeout"] = "00:00:05" });
        harness.Stub.Answer = (_, _) => Task.FromResult(CollectorStub.Problem(HttpStatusCode.BadGateway, "Down"));
        harness.EmitInteractions(5);

        var stop = harness.Sink.StopAsync();
        await harness.UntilAsync(() => harness.Stub.Requests.Count >= 2, "the collector is tried", Step);
        Assert.False(stop.IsCompleted);
        await harness.UntilAsync(() => stop.IsCompleted, "the stop gives up", TimeSpan.FromSeconds(1));
        await stop;

        Assert.Equal(5, harness.DroppedFor("shutdown"));
        Assert.Equal(0, harness.Sink.Pending);
        Assert.Contains(harness.Logs.Entries, e => e.Contains("5 record(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Emit_NoEndpoint_KeepsNothing()
    {
        await using var harness = new CollectorSinkHarness(new Dictionary<string, string?> { ["Vigil:Collector:Endpoint"] = "" });

        Assert.False(harness.Sink.IsEnabled);
        Assert.False(harness.Sink.Emit(CollectorSinkHarness.Interaction("t")));
        Assert.False(harness.Sink.Emit(new FeedbackRecord { Type = FeedbackType.Csat, Value = 5 }));
        Assert.Equal(0, harness.Sink.Dropped);
        Assert.Empty(harness.Stub.Requests);
    }

    [Theory]
    [InlineData("ftp://collector.test", "must be an http or https URL")]
    [InlineData("collector.test:5080", "must be an http or https URL")]
    [InlineData("not a url", "is not an absolute URL")]
    [InlineData("http://user:hunter2@collector.test/?q=1", "must not have a query or a fragment")]
    public void AddVigilCollectorSink_EndpointNotAnHttpUrl_FailsNamingTheKeyNotTheValue(string endpoint, string reason)
    {
        var harness = new CollectorSinkHarness(new Dictionary<string, string?> { ["Vigil:Collector:Endpoint"] = endpoint });

        var error = Assert.Throws<OptionsValidationException>(() => harness.Provider.GetRequiredService<CollectorSink>());

        Assert.Contains($"Vigil:Collector:Endpoint {reason}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddVigilCollectorSink_BatchSizeOverTheCollectorsLimit_FailsValidation()
    {
        var harness = new CollectorSinkHarness(new Dictionary<string, string?> { ["Vigil:Collector:BatchSize"] = "1001" });

        var error = Assert.Throws<OptionsValidationException>(() => harness.Provider.GetRequiredService<IOptions<CollectorOptions>>().Value);

        Assert.Contains("BatchSize", error.Message, StringComparison.Ordinal);
    }
}
