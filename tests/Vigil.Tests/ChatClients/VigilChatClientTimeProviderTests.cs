using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary>Every duration comes from the injected <see cref="TimeProvider"/>.</summary>
public sealed class VigilChatClientTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_InnerAdvancesFakeClock_LatencyEqualsAdvancedTimeExactly(bool streaming)
    {
        var clock = new FakeTimeProvider(Start);
        using var harness = new VigilTestHarness(timeProvider: clock);
        var inner = new FakeChatClient
        {
            OnGetResponse = (_, _, _) =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(1234));
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hello there, my friend.")) { ModelId = "gpt-4.1-mini" });
            },
            OnGetStreamingResponse = (_, _, ct) => AdvancingStream(clock, ct),
        };
        var client = harness.Wrap(inner);

        await ChatDriver.RunAsync(client, streaming);

        var record = harness.SingleRecord;
        Assert.Equal(Start, record.Timestamp);
        Assert.Equal(1234.0, record.LatencyMs);
        Assert.Equal(1.234, Assert.Single(harness.Recorder.Of(MetricNames.RequestDuration)).Value, 12);
        if (streaming)
        {
            Assert.Equal(300.0, record.TtftMs);
            Assert.Equal(0.3, Assert.Single(harness.Recorder.Of(MetricNames.TimeToFirstToken)).Value, 12);

            // Three text chunks at 300, 500 and 1000 ms: two gaps over 700 ms.
            Assert.Equal(0.35, Assert.Single(harness.Recorder.Of(MetricNames.TimeBetweenTokens)).Value, 12);
            Assert.Equal(2 / 0.7, Assert.Single(harness.Recorder.Of(MetricNames.TokensPerSecond)).Value, 9);
        }
        else
        {
            Assert.Null(record.TtftMs);
        }
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> AdvancingStream(FakeTimeProvider clock, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, string.Empty) { ModelId = "gpt-4.1-mini" };
        clock.Advance(TimeSpan.FromMilliseconds(300));
        yield return new ChatResponseUpdate(ChatRole.Assistant, "Hello ");
        clock.Advance(TimeSpan.FromMilliseconds(200));
        yield return new ChatResponseUpdate(ChatRole.Assistant, "there, my ");
        clock.Advance(TimeSpan.FromMilliseconds(500));
        yield return new ChatResponseUpdate(ChatRole.Assistant, "friend.");
        clock.Advance(TimeSpan.FromMilliseconds(234));
        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
    }
}
