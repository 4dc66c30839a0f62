using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Metrics;

/// <summary>
/// Without a sink the middleware skips what only the record needs (the wall clock, user and trace ids, the decimal
/// quote) and prices the cost metric in double from cached prices: the measurements are the same as with a sink.
/// </summary>
public sealed class MetricsWithoutSinkTests
{
    // Instruments whose values are times: compared by tags only.
    private static readonly HashSet<string> Timed =
        [MetricNames.RequestDuration, MetricNames.TimeToFirstToken, MetricNames.TimeBetweenTokens, MetricNames.TokensPerSecond];

    [Theory]
    [InlineData("gpt-4.1-mini", false)]
    [InlineData("gpt-4.1-mini", true)]
    [InlineData("gpt-4.1-mini-2025-04-14", false)]
    [InlineData("gpt-4.1-mini-2025-04-14", true)]
    [InlineData("an-unpriced-model", false)]
    [InlineData("an-unpriced-model", true)]
    [InlineData(null, false)]
    [InlineData(null, true)]
    public async Task Measurements_WithoutSink_EqualThoseWithSink(string? model, bool streaming)
    {
        var options = new ChatOptions { ModelId = model }.WithVigil(feature: "support", userTier: "pro", userId: "u-1", traceId: "t-1");

        using var withSink = new VigilTestHarness();
        await ChatDriver.RunAsync(withSink.Wrap(Answering()), streaming, options);
        await ChatDriver.RunAsync(withSink.Wrap(Answering()), streaming, options);

        using var metrics = new VigilMetrics();
        using var recorder = new MetricRecorder(metrics.Meter);
        using var client = new VigilChatClient(Answering(), metrics);
        await ChatDriver.RunAsync(client, streaming, options);
        await ChatDriver.RunAsync(client, streaming, options); // the second call prices from the cache

        Assert.Equal(2, withSink.Sink.Records.Count);
        var expected = withSink.Recorder.All;
        var actual = recorder.All;
        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
        foreach (var (e, a) in expected.Zip(actual).Where(p => !Timed.Contains(p.First.Instrument)))
        {
            Assert.Equal(e.Value, a.Value, Math.Abs(e.Value) * 1e-14);
        }

        Assert.Contains(actual, m => m.Instrument == MetricNames.Cost && m.Value > 0);
        Assert.Equal(model == "an-unpriced-model" ? 2 : 0, recorder.Sum(MetricNames.UnpricedRequests));
    }

    private static string Describe(RecordedMeasurement m) =>
        m.Instrument + "{" + string.Join(",", m.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")) + "}";

    private static FakeChatClient Answering()
    {
        var usage = new UsageDetails { InputTokenCount = 1234, OutputTokenCount = 567, CachedInputTokenCount = 89 };
        return new FakeChatClient
        {
            OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "A perfectly fine answer."))
            {
                FinishReason = ChatFinishReason.Stop,
                ModelId = "gpt-4.1-mini-2025-04-14",
                Usage = usage,
            }),
            OnGetStreamingResponse = (_, _, cancellationToken) => Stream(usage, cancellationToken),
            Metadata = new ChatClientMetadata("fake", null, null),
        };
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Stream(UsageDetails usage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "A perfectly ") { ModelId = "gpt-4.1-mini-2025-04-14" };
        yield return new ChatResponseUpdate(ChatRole.Assistant, "fine answer.");
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)]) { FinishReason = ChatFinishReason.Stop };
    }
}
