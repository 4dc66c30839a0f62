using Microsoft.Extensions.AI;

namespace Vigil.Tests.Infrastructure;

/// <summary>Calls a client the way an app does, streaming or not, so each test can run both ways.</summary>
public static class ChatDriver
{
    /// <summary>One user message.</summary>
    public static IList<ChatMessage> Question() => [new ChatMessage(ChatRole.User, "What is the capital of France?")];

    /// <summary>Calls <paramref name="client"/> and reads the whole reply.</summary>
    public static async Task<ChatOutcome> RunAsync(IChatClient client, bool streaming, ChatOptions? options = null,
        IList<ChatMessage>? messages = null, CancellationToken cancellationToken = default)
    {
        messages ??= Question();
        if (!streaming)
        {
            var response = await client.GetResponseAsync(messages, options, cancellationToken);
            return new ChatOutcome(response.Text, response.ResponseId, []);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return new ChatOutcome(string.Concat(updates.Select(u => u.Text)), updates.Select(u => u.ResponseId).FirstOrDefault(id => id is not null), updates);
    }

    /// <summary>Calls <paramref name="client"/> expecting the call to throw; returns what was thrown.</summary>
    public static Task<Exception> FailAsync(IChatClient client, bool streaming, ChatOptions? options = null,
        IList<ChatMessage>? messages = null, CancellationToken cancellationToken = default) =>
        Assert.ThrowsAnyAsync<Exception>(() => RunAsync(client, streaming, options, messages, cancellationToken));
}
