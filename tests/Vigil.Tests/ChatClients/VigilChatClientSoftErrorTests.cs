using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary>Soft errors: a reply came back (status success) but is not a good one.</summary>
public sealed class VigilChatClientSoftErrorTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    private const string Model = OpenAiStubServer.DefaultModel;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ContentFilterFinish_RecordsSuccessWithSafetyFilter(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.ContentFilter));

        await ChatDriver.RunAsync(client, streaming);

        AssertSoftError(harness, ErrorType.SafetyFilter, "safety_filter");
    }

    [Theory]
    [InlineData(StubScenario.Refusal, false)]
    [InlineData(StubScenario.Refusal, true)]
    [InlineData(StubScenario.ChineseRefusal, false)]
    [InlineData(StubScenario.ChineseRefusal, true)]
    public async Task GetResponse_RefusalText_RecordsRefusal(StubScenario scenario, bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(scenario));

        var outcome = await ChatDriver.RunAsync(client, streaming);

        Assert.Equal(scenario == StubScenario.Refusal ? OpenAiStubServer.RefusalReply : OpenAiStubServer.ChineseRefusalReply, outcome.Text);
        AssertSoftError(harness, ErrorType.Refusal, "refusal");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_RefusalInRefusalField_RecordsSoftErrorRefusalWhenVisible(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.StructuredRefusal));

        var outcome = await ChatDriver.RunAsync(client, streaming);

        Assert.Equal(string.Empty, outcome.Text);
        if (!streaming)
        {
            // Microsoft.Extensions.AI maps OpenAI's refusal field to ErrorContent { ErrorCode = "Refusal" }.
            AssertSoftError(harness, ErrorType.Refusal, "refusal");
            return;
        }

        // Microsoft.Extensions.AI.OpenAI 10.11 drops delta.refusal from streamed updates (it survives only in
        // RawRepresentation), so all Vigil sees is a reply without text: still a soft error, never a good answer.
        AssertSoftError(harness, ErrorType.EmptyResponse, "empty_response");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ProviderRefusalContent_RecordsRefusal(bool streaming)
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new ErrorContent("I won't help with that.") { ErrorCode = "Refusal" }]))
        {
            FinishReason = ChatFinishReason.Stop,
        };
        var inner = new FakeChatClient
        {
            OnGetResponse = (_, _, _) => Task.FromResult(response),
            OnGetStreamingResponse = (_, _, ct) => Updates(response.ToChatResponseUpdates(), ct),
        };
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(inner);

        await ChatDriver.RunAsync(client, streaming, new ChatOptions { ModelId = Model });

        AssertSoftError(harness, ErrorType.Refusal, "refusal");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_EmptyReply_RecordsEmptyResponse(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Empty));

        var outcome = await ChatDriver.RunAsync(client, streaming);

        Assert.Equal(string.Empty, outcome.Text);
        AssertSoftError(harness, ErrorType.EmptyResponse, "empty_response");
        Assert.Null(harness.SingleRecord.TtftMs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_MalformedJsonWhenJsonAsked_RecordsFormatError(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.MalformedJson));

        var outcome = await ChatDriver.RunAsync(client, streaming, new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.Equal(OpenAiStubServer.MalformedJsonReply, outcome.Text);
        AssertSoftError(harness, ErrorType.FormatError, "format_error");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ValidJsonWhenJsonAsked_RecordsNoError(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.ValidJson));

        var outcome = await ChatDriver.RunAsync(client, streaming, new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.Equal(OpenAiStubServer.ValidJsonReply, outcome.Text);
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Success, record.Status);
        Assert.Null(record.ErrorType);
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Requests, ("status", "success"), ("error_type", "none")));
        Assert.Empty(harness.Recorder.Of(MetricNames.Errors));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_TrailingToolResultWithException_RecordsToolFailure(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(FakeChatClient.Replying("The weather service is unavailable right now, sorry."));

        await ChatDriver.RunAsync(client, streaming, new ChatOptions { ModelId = Model }, ToolExchange(new InvalidOperationException("weather API down")));

        AssertSoftError(harness, ErrorType.ToolFailure, "tool_failure");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_TrailingToolResultWithoutException_RecordsNoError(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(FakeChatClient.Replying("It is sunny and 21 degrees in Paris."));

        await ChatDriver.RunAsync(client, streaming, new ChatOptions { ModelId = Model }, ToolExchange(exception: null));

        Assert.Null(harness.SingleRecord.ErrorType);
        Assert.Empty(harness.Recorder.Of(MetricNames.Errors));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ReplyCarriesFailedFunctionResult_RecordsToolFailure(bool streaming)
    {
        // An agent loop below Vigil ran the tool itself and hands back its failed result with the answer.
        var failed = new FunctionResultContent("call-1", null) { Exception = new TimeoutException("tool timed out") };
        var response = new ChatResponse(
        [
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "get_weather")]),
            new ChatMessage(ChatRole.Tool, [failed]),
            new ChatMessage(ChatRole.Assistant, "I could not get the weather for you."),
        ]);
        var inner = new FakeChatClient
        {
            OnGetResponse = (_, _, _) => Task.FromResult(response),
            OnGetStreamingResponse = (_, _, ct) => Updates(response.ToChatResponseUpdates(), ct),
        };
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(inner);

        await ChatDriver.RunAsync(client, streaming, new ChatOptions { ModelId = Model });

        AssertSoftError(harness, ErrorType.ToolFailure, "tool_failure");
    }

    private static List<ChatMessage> ToolExchange(Exception? exception) =>
    [
        new(ChatRole.User, "What is the weather in Paris?"),
        new(ChatRole.Assistant, [new FunctionCallContent("call-1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
        new(ChatRole.Tool, [new FunctionResultContent("call-1", exception is null ? "sunny, 21C" : null) { Exception = exception }]),
    ];

    private static async IAsyncEnumerable<ChatResponseUpdate> Updates(IEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var update in updates)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return update;
        }
    }

    private static void AssertSoftError(VigilTestHarness harness, ErrorType type, string label)
    {
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Success, record.Status);
        Assert.Equal(type, record.ErrorType);
        Assert.False(record.IsGood);
        Assert.Null(record.HttpStatus);
        Assert.Equal(Model, record.Model);

        var request = Assert.Single(harness.Recorder.Of(MetricNames.Requests));
        Assert.True(request.HasTags(("model", Model), ("status", "success"), ("error_type", label)), string.Join(", ", request.Tags));
        var error = Assert.Single(harness.Recorder.Of(MetricNames.Errors));
        Assert.True(error.HasTags(("model", Model), ("error_type", label), ("error_code", "0")), string.Join(", ", error.Tags));
    }
}
