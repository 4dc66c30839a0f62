using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Vigil.ChatClients;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary>When nobody listens and no sink keeps records, calls pass straight through and pay nothing.</summary>
public sealed class VigilChatClientPassThroughTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    private static readonly ChatResponse Canned = new(new ChatMessage(ChatRole.Assistant, "Straight from the inner client."));

    private static readonly IAsyncEnumerable<ChatResponseUpdate> CannedStream = Stream();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NoListenerAndNoSink_ReturnsInnerResultItself(bool streaming)
    {
        using var meters = new IsolatedMeterFactory();
        using var metrics = new VigilMetrics(meters);
        var innerTask = Task.FromResult(Canned);
        var inner = new FakeChatClient { OnGetResponse = (_, _, _) => innerTask, OnGetStreamingResponse = (_, _, _) => CannedStream };
        using var client = new VigilChatClient(inner, metrics);

        Assert.False(metrics.IsCallObserved);
        if (streaming)
        {
            Assert.Same(CannedStream, client.GetStreamingResponseAsync(ChatDriver.Question()));
        }
        else
        {
            var task = client.GetResponseAsync(ChatDriver.Question());
            Assert.Same(innerTask, task);
            Assert.Same(Canned, await task);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ListenerOnMeter_WrapsInnerResult(bool streaming)
    {
        // The counterpart of the test above: once someone listens, the call is observed.
        using var meters = new IsolatedMeterFactory();
        using var metrics = new VigilMetrics(meters);
        using var recorder = new MetricRecorder(metrics.Meter);
        var innerTask = Task.FromResult(Canned);
        var inner = new FakeChatClient { OnGetResponse = (_, _, _) => innerTask, OnGetStreamingResponse = (_, _, _) => CannedStream };
        using var client = new VigilChatClient(inner, metrics);

        Assert.True(metrics.IsCallObserved);
        if (streaming)
        {
            var stream = client.GetStreamingResponseAsync(ChatDriver.Question());
            Assert.NotSame(CannedStream, stream);
            await foreach (var _ in stream)
            {
            }
        }
        else
        {
            var task = client.GetResponseAsync(ChatDriver.Question());
            Assert.NotSame(innerTask, task);
            Assert.Same(Canned, await task);
        }

        Assert.Single(recorder.Of(MetricNames.Requests));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NoListenerAndNoSinkAgainstStub_ReturnsReplyAndRecordsNothing(bool streaming)
    {
        using var meters = new IsolatedMeterFactory();
        using var metrics = new VigilMetrics(meters);
        using var services = new ServiceCollection()
            .AddSingleton(metrics)
            .BuildServiceProvider();
        VigilChatClient? monitoring = null;
        var client = new ChatClientBuilder(stub.CreateChatClient(StubScenario.Normal))
            .UseVigil(configure: c => monitoring = c)
            .Build(services);

        var outcome = await ChatDriver.RunAsync(client, streaming, new ChatOptions().WithVigil(feature: "quiet"));

        Assert.Equal(OpenAiStubServer.NormalReply, outcome.Text);
        Assert.NotNull(monitoring);
        Assert.Same(monitoring, client);
        Assert.False(metrics.IsCallObserved);

        // A listener that starts now sees nothing of the call that already happened, and the next call is measured.
        using var recorder = new MetricRecorder(metrics.Meter);
        Assert.Empty(recorder.All);
        await ChatDriver.RunAsync(client, streaming, new ChatOptions().WithVigil(feature: "quiet"));
        Assert.Equal(1, recorder.Sum(MetricNames.Requests, ("endpoint", "quiet")));
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Stream([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "Straight from the inner client.");
    }
}
