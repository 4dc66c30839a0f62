using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Classification;

/// <summary>
/// A stream's text is kept in a pooled buffer that grows up to a cap (the refusal scan window, or 1M characters when JSON
/// must be validated or content is captured): long streams are classified exactly as the same reply unstreamed.
/// </summary>
public sealed class StreamedTextClassificationTests
{
    private static readonly string Filler = string.Concat(Enumerable.Repeat("All fine here. ", 40)); // 600 characters

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongReply_RefusalInsideTheScanWindow_IsRefusal(bool streaming)
    {
        var reply = Filler[..150] + "I cannot do that. " + Filler;

        Assert.Equal("refusal", await ErrorLabelOfAsync(reply, streaming));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongReply_RefusalPastTheScanWindow_IsNoError(bool streaming)
    {
        var reply = Filler[..250] + "I cannot do that. " + Filler;

        Assert.Equal("none", await ErrorLabelOfAsync(reply, streaming));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongChineseReply_RefusalInsideTheScanWindow_IsRefusal(bool streaming)
    {
        var reply = string.Concat(Enumerable.Repeat("这是一个很长的回答。", 15)) + "抱歉，我不能继续。" + Filler;

        Assert.Equal("refusal", await ErrorLabelOfAsync(reply, streaming));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongJsonReply_ValidAcrossManyChunks_IsNoError(bool streaming)
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 400).Select(i => $"{{\"n\":{i}}}")) + "]";

        Assert.Equal("none", await ErrorLabelOfAsync(json, streaming, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongJsonReply_CutShort_IsFormatError(bool streaming)
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 400).Select(i => $"{{\"n\":{i}}}"));

        Assert.Equal("format_error", await ErrorLabelOfAsync(json, streaming, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }));
    }

    [Fact]
    public async Task CaptureContent_LongStreamsOneAfterAnother_EachRecordHoldsItsOwnWholeText()
    {
        using var harness = new VigilTestHarness(new VigilOptions { CaptureContent = true });
        var first = string.Concat(Enumerable.Repeat("first reply. ", 400));   // 5,200 characters
        var second = string.Concat(Enumerable.Repeat("second. ", 30));       // shorter than the first
        foreach (var reply in new[] { first, second })
        {
            await ChatDriver.RunAsync(harness.Wrap(Streaming(reply)), streaming: true);
        }

        Assert.Equal([first, second], harness.Sink.Records.Select(r => r.Response));
    }

    private static async Task<string?> ErrorLabelOfAsync(string reply, bool streaming, ChatOptions? options = null)
    {
        using var harness = new VigilTestHarness();
        var outcome = await ChatDriver.RunAsync(harness.Wrap(Streaming(reply)), streaming, options);

        Assert.Equal(reply, outcome.Text);
        return Assert.Single(harness.Recorder.Of(MetricNames.Requests)).Tags["error_type"];
    }

    // A client whose reply arrives in chunks of 7 characters (many appends, several buffer growths), or whole.
    private static FakeChatClient Streaming(string reply) => new()
    {
        OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { FinishReason = ChatFinishReason.Stop }),
        OnGetStreamingResponse = (_, _, cancellationToken) => Chunks(reply, cancellationToken),
    };

    private static async IAsyncEnumerable<ChatResponseUpdate> Chunks(string reply, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        for (var i = 0; i < reply.Length; i += 7)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply.Substring(i, Math.Min(7, reply.Length - i)));
        }

        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
    }
}
