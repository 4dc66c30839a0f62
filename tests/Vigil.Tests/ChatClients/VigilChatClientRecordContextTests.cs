using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary>What an app adds to a call's record: the query's embedding, attributes, and a caching client's hit or miss.</summary>
public sealed class VigilChatClientRecordContextTests
{
    private static readonly float[] Vector = [0.6f, 0.8f];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_EmbeddingAndAttributesGiven_RecordCarriesThem(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(Inner(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Refunds take 7 business days."))));
        var options = new ChatOptions { ModelId = "gpt-4.1-mini" }
            .WithVigilRecord(new ReadOnlyMemory<float>(Vector), new Dictionary<string, string> { ["topic"] = "refunds" });

        await ChatDriver.RunAsync(client, streaming, options);

        var record = harness.SingleRecord;
        Assert.Equal(Vector, record.Embedding);
        Assert.Equal("refunds", Assert.Contains("topic", record.Attributes!));
        Assert.Null(record.Cache);
    }

    [Theory]
    [InlineData(false, CacheOutcome.Hit)]
    [InlineData(true, CacheOutcome.Hit)]
    [InlineData(false, CacheOutcome.Miss)]
    [InlineData(true, CacheOutcome.Miss)]
    public async Task GetResponse_InnerMarksCacheOutcome_RecordedAndCounted(bool streaming, CacheOutcome outcome)
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Refunds take 7 business days."))
        {
            AdditionalProperties = new() { [VigilChatOptions.CacheKey] = outcome, [VigilChatOptions.CacheTypeKey] = "semantic" },
        };
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(Inner(response));

        await ChatDriver.RunAsync(client, streaming, new ChatOptions { ModelId = "gpt-4.1-mini" });

        Assert.Equal(outcome, harness.SingleRecord.Cache);
        Assert.Equal(CacheType.Semantic, harness.SingleRecord.CacheType);
        var counted = Assert.Single(harness.Recorder.Of(outcome == CacheOutcome.Hit ? MetricNames.CacheHits : MetricNames.CacheMisses));
        Assert.True(counted.HasTags(("cache_type", "semantic")));
    }

    [Fact]
    public async Task GetResponse_UnknownCacheMark_Ignored()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Refunds take 7 business days."))
        {
            AdditionalProperties = new() { [VigilChatOptions.CacheKey] = "maybe" },
        };
        using var harness = new VigilTestHarness();

        await ChatDriver.RunAsync(harness.Wrap(Inner(response)), streaming: false, new ChatOptions { ModelId = "gpt-4.1-mini" });

        Assert.Null(harness.SingleRecord.Cache);
        Assert.Empty(harness.Recorder.Of(MetricNames.CacheHits));
        Assert.Empty(harness.Recorder.Of(MetricNames.CacheMisses));
    }

    private static FakeChatClient Inner(ChatResponse response) => new()
    {
        OnGetResponse = (_, _, _) => Task.FromResult(response),
        OnGetStreamingResponse = (_, _, ct) => Updates(response.ToChatResponseUpdates(), ct),
    };

    private static async IAsyncEnumerable<ChatResponseUpdate> Updates(IEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var update in updates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return update;
        }
    }
}
