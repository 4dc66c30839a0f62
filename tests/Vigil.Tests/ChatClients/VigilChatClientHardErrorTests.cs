using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary>Hard errors (no usable response) as the official SDK throws them, against <see cref="OpenAiStubServer"/>.</summary>
public sealed class VigilChatClientHardErrorTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    private const string Model = OpenAiStubServer.DefaultModel;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_RateLimited_RecordsRateLimitWith429(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.RateLimited));

        var thrown = await ChatDriver.FailAsync(client, streaming, new ChatOptions().WithVigil(feature: "chat"));

        // The caller gets the SDK's own exception, untouched.
        Assert.Equal(429, Assert.IsType<ClientResultException>(thrown).Status);
        AssertHardError(harness, ErrorType.RateLimit, "rate_limit", 429, endpoint: "chat");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_Unauthorized_RecordsAuthFailureWith401(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Unauthorized));

        var thrown = await ChatDriver.FailAsync(client, streaming);

        Assert.Equal(401, Assert.IsType<ClientResultException>(thrown).Status);
        AssertHardError(harness, ErrorType.AuthFailure, "auth_failure", 401);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ServerError_RecordsServerErrorWith500(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.ServerError));

        var thrown = await ChatDriver.FailAsync(client, streaming);

        Assert.Equal(500, Assert.IsType<ClientResultException>(thrown).Status);
        AssertHardError(harness, ErrorType.ServerError, "server_error", 500);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ContextLengthExceeded_RecordsContextOverflowWith400(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.ContextLengthExceeded));

        var thrown = await ChatDriver.FailAsync(client, streaming);

        Assert.Equal(400, Assert.IsType<ClientResultException>(thrown).Status);
        AssertHardError(harness, ErrorType.ContextOverflow, "context_overflow", 400);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ClientNetworkTimeout_RecordsTimeoutNotCancellation(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Slow, networkTimeout: TimeSpan.FromMilliseconds(300)));
        using var caller = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();

        await ChatDriver.FailAsync(client, streaming, cancellationToken: caller.Token);

        Assert.False(caller.IsCancellationRequested);
        Assert.True(stopwatch.Elapsed < OpenAiStubServer.SlowDelay, $"took {stopwatch.Elapsed}");
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Error, record.Status);
        Assert.Equal(ErrorType.Timeout, record.ErrorType);
        Assert.Null(record.HttpStatus);
        Assert.True(record.LatencyMs >= 250, $"latency {record.LatencyMs} ms");
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Requests, ("model", Model), ("status", "error"), ("error_type", "timeout")));
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Errors, ("model", Model), ("error_type", "timeout"), ("error_code", "0")));
        Assert.Empty(harness.Recorder.Of(MetricNames.CancelledRequests));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ProviderStallsAfterFirstToken_RecordsTimeoutWithTimeToFirstToken(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.StallingStream, networkTimeout: TimeSpan.FromSeconds(2)));
        var stopwatch = Stopwatch.StartNew();

        await ChatDriver.FailAsync(client, streaming);

        Assert.True(stopwatch.Elapsed < OpenAiStubServer.SlowDelay, $"took {stopwatch.Elapsed}");
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Error, record.Status);
        Assert.Equal(ErrorType.Timeout, record.ErrorType);
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Requests, ("status", "error"), ("error_type", "timeout")));
        Assert.Empty(harness.Recorder.Of(MetricNames.CancelledRequests));
        if (streaming)
        {
            // The first text arrived before the stall: time to first token is known and below the latency.
            Assert.NotNull(record.TtftMs);
            Assert.True(record.TtftMs < record.LatencyMs);
            Assert.Single(harness.Recorder.Of(MetricNames.TimeToFirstToken));
        }
        else
        {
            Assert.Null(record.TtftMs);
        }
    }

    private static void AssertHardError(VigilTestHarness harness, ErrorType type, string label, int status, string endpoint = "default")
    {
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Error, record.Status);
        Assert.Equal(type, record.ErrorType);
        Assert.Equal(status, record.HttpStatus);
        Assert.False(record.IsGood);
        Assert.Equal(Model, record.Model);
        Assert.Equal(endpoint, record.Feature);
        Assert.True(record.LatencyMs > 0);
        Assert.Null(record.TtftMs);
        Assert.Null(record.InputTokens);
        Assert.Null(record.CostUsd);
        Assert.False(string.IsNullOrEmpty(record.TraceId));

        var request = Assert.Single(harness.Recorder.Of(MetricNames.Requests));
        Assert.True(request.HasTags(("model", Model), ("endpoint", endpoint), ("status", "error"), ("error_type", label)), string.Join(", ", request.Tags));
        var error = Assert.Single(harness.Recorder.Of(MetricNames.Errors));
        Assert.True(error.HasTags(("model", Model), ("error_type", label), ("error_code", status.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            string.Join(", ", error.Tags));
        Assert.Equal(1, error.Value);
        Assert.Single(harness.Recorder.Of(MetricNames.RequestDuration, ("model", Model), ("endpoint", endpoint)));
        Assert.Empty(harness.Recorder.Of(MetricNames.Tokens));
        Assert.Empty(harness.Recorder.Of(MetricNames.Cost));
        Assert.Empty(harness.Recorder.Of(MetricNames.TimeToFirstToken));
    }
}
