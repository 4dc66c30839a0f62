using Microsoft.Extensions.AI;

namespace Vigil.Benchmarks;

/// <summary>
/// The inner client every benchmark shares: answers synchronously from cached objects, so what is measured
/// is the middleware in front of it. Non-streaming returns one cached completed task (0 B per call);
/// streaming returns a cached enumerable whose enumerator (the only allocation, 32 B) yields five cached
/// updates: four text chunks, then one carrying the finish reason and a <see cref="UsageContent"/>.
/// </summary>
public sealed class FakeChatClient : IChatClient
{
    public const string Model = "gpt-4.1-mini";

    private readonly ChatClientMetadata _metadata = new("fake", new Uri("http://localhost:8080/"), Model);
    private readonly Task<ChatResponse> _response;
    private readonly CachedUpdates _stream;

    public FakeChatClient()
    {
        var usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 40, CachedInputTokenCount = 20, TotalTokenCount = 160 };
        _response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Sure. Here is a short answer to your question."))
        {
            ResponseId = "resp_0001",
            ModelId = Model,
            FinishReason = ChatFinishReason.Stop,
            Usage = usage,
        });

        string[] chunks = ["Sure.", " Here is", " a short answer", " to your question."];
        var updates = new ChatResponseUpdate[chunks.Length + 1];
        for (var i = 0; i < chunks.Length; i++)
        {
            updates[i] = new ChatResponseUpdate(ChatRole.Assistant, chunks[i]) { ResponseId = "resp_0001", MessageId = "msg_0001", ModelId = Model };
        }

        updates[^1] = new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)])
        {
            ResponseId = "resp_0001",
            MessageId = "msg_0001",
            ModelId = Model,
            FinishReason = ChatFinishReason.Stop,
        };
        _stream = new CachedUpdates(updates);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _response;

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _stream;

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
