using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Vigil.Tests.Infrastructure;

/// <summary>An inner client for unit tests: answers with what its delegates return.</summary>
public sealed class FakeChatClient : IChatClient
{
    /// <summary>The non-streaming answer.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> OnGetResponse { get; init; } =
        (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "A perfectly fine answer.")));

    /// <summary>The streaming answer; null: the non-streaming answer as updates.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? OnGetStreamingResponse { get; init; }

    /// <summary>What the client says about itself.</summary>
    public ChatClientMetadata Metadata { get; init; } = new("fake", null, "fake-model");

    /// <summary>A client whose reply is <paramref name="text"/>.</summary>
    public static FakeChatClient Replying(string text) => new()
    {
        OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop }),
    };

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        OnGetResponse(messages, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        OnGetStreamingResponse is { } stream ? stream(messages, options, cancellationToken) : FromResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private async IAsyncEnumerable<ChatResponseUpdate> FromResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await OnGetResponse(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
