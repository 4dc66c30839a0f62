using System.Diagnostics;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary>Latency breakdown and the ways a stream ends early, against <see cref="OpenAiStubServer"/>.</summary>
public sealed class VigilChatClientStreamingTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    private const string Model = OpenAiStubServer.DefaultModel;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NormalReply_RecordsTimeToFirstTokenOnlyWhenStreaming(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        await ChatDriver.RunAsync(client, streaming);

        var record = harness.SingleRecord;
        var duration = Assert.Single(harness.Recorder.Of(MetricNames.RequestDuration)).Value;
        if (!streaming)
        {
            Assert.Null(record.TtftMs);
            Assert.Empty(harness.Recorder.Of(MetricNames.TimeToFirstToken));
            Assert.Empty(harness.Recorder.Of(MetricNames.TimeBetweenTokens));
            Assert.Empty(harness.Recorder.Of(MetricNames.TokensPerSecond));
            return;
        }

        // The stub waits FirstChunkDelay before the first chunk, then ChunkDelay between the rest.
        var ttft = Assert.Single(harness.Recorder.Of(MetricNames.TimeToFirstToken));
        Assert.True(ttft.HasTags(("model", Model)));
        Assert.True(ttft.Value > OpenAiStubServer.FirstChunkDelay.TotalSeconds, $"TTFT {ttft.Value}s");
        Assert.True(ttft.Value < duration, $"TTFT {ttft.Value}s, latency {duration}s");
        Assert.NotNull(record.TtftMs);
        Assert.True(record.TtftMs > OpenAiStubServer.FirstChunkDelay.TotalMilliseconds);
        Assert.True(record.TtftMs < record.LatencyMs);
        Assert.Equal(ttft.Value * 1000, record.TtftMs.Value, 6);

        // Four text chunks ChunkDelay apart: three gaps.
        var between = Assert.Single(harness.Recorder.Of(MetricNames.TimeBetweenTokens, ("model", Model)));
        Assert.True(between.Value > 0, $"between {between.Value}s");
        Assert.True(between.Value < duration);
        var rate = Assert.Single(harness.Recorder.Of(MetricNames.TokensPerSecond, ("model", Model)));
        Assert.Equal(1 / between.Value, rate.Value, 6);
    }

    [Fact]
    public async Task GetStreamingResponse_CallerStopsAfterFirstToken_RecordsSuccessStoppedEarly()
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        var received = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync(ChatDriver.Question()))
        {
            received = update.Text;
            if (received.Length > 0)
            {
                break;
            }
        }

        Assert.NotEmpty(received);
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Success, record.Status);
        Assert.Null(record.ErrorType);
        Assert.NotNull(record.Attributes);
        Assert.Equal("true", record.Attributes["stream_stopped_early"]);
        Assert.NotNull(record.TtftMs);
        Assert.StartsWith("chatcmpl-stub-", record.TraceId, StringComparison.Ordinal);
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Requests, ("status", "success"), ("error_type", "none")));
        Assert.Single(harness.Recorder.Of(MetricNames.Requests));
        Assert.Single(harness.Recorder.Of(MetricNames.TimeToFirstToken));
        Assert.Empty(harness.Recorder.Of(MetricNames.CancelledRequests));
    }

    [Fact]
    public async Task GetStreamingResponse_CallerReadsToTheEnd_RecordHasNoStoppedEarlyAttribute()
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        await ChatDriver.RunAsync(client, streaming: true);

        Assert.Null(harness.SingleRecord.Attributes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ConnectionAbortedMidway_RecordsHardServerError(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.BrokenStream));
        var received = new List<string>();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            if (!streaming)
            {
                await client.GetResponseAsync(ChatDriver.Question());
                return;
            }

            await foreach (var update in client.GetStreamingResponseAsync(ChatDriver.Question()))
            {
                received.Add(update.Text);
            }
        });

        Assert.IsNotType<OperationCanceledException>(thrown, exactMatch: false);
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Error, record.Status);
        Assert.Equal(ErrorType.ServerError, record.ErrorType);
        Assert.Null(record.HttpStatus);
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Requests, ("model", Model), ("status", "error"), ("error_type", "server_error")));
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Errors, ("model", Model), ("error_type", "server_error"), ("error_code", "0")));
        Assert.Single(harness.Recorder.Of(MetricNames.RequestDuration));
        Assert.Null(record.CostUsd);
        if (streaming)
        {
            // Two chunks of text arrived before the connection died: the first token was seen.
            Assert.Contains(received, text => text.Length > 0);
            Assert.NotNull(record.TtftMs);
            Assert.True(record.TtftMs > OpenAiStubServer.FirstChunkDelay.TotalMilliseconds);
            Assert.Single(harness.Recorder.Of(MetricNames.TimeToFirstToken, ("model", Model)));
        }
        else
        {
            Assert.Null(record.TtftMs);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_CallerCancelsMidway_CountsCancelledNotRequest(bool streaming)
    {
        using var harness = new VigilTestHarness();
        using var cancellation = new CancellationTokenSource();
        var options = new ChatOptions().WithVigil(feature: "search");
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            // The stub holds the reply (or, streamed, the rest of it after the first text) for seconds.
            var client = harness.Wrap(stub.CreateChatClient(StubScenario.StallingStream));
            if (!streaming)
            {
                cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
                await client.GetResponseAsync(ChatDriver.Question(), options, cancellation.Token);
                return;
            }

            await foreach (var update in client.GetStreamingResponseAsync(ChatDriver.Question(), options, cancellation.Token))
            {
                if (update.Text.Length > 0)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.True(stopwatch.Elapsed < OpenAiStubServer.SlowDelay);
        var cancelled = Assert.Single(harness.Recorder.Of(MetricNames.CancelledRequests));
        Assert.Equal(1, cancelled.Value);
        Assert.True(cancelled.HasTags(("model", Model), ("endpoint", "search")));
        Assert.Empty(harness.Recorder.Of(MetricNames.Requests));
        Assert.Empty(harness.Recorder.Of(MetricNames.Errors));
        Assert.Empty(harness.Recorder.Of(MetricNames.RequestDuration));
        Assert.DoesNotContain(harness.Sink.Records, r => r.Status == InteractionStatus.Error);

        // A first token seen before the cancellation still counts toward time to first token.
        Assert.Equal(streaming ? 1 : 0, harness.Recorder.Of(MetricNames.TimeToFirstToken).Count);
    }
}
