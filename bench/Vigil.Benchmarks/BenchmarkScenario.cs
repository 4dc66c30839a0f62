using Microsoft.Extensions.AI;
using Vigil.ChatClients;

namespace Vigil.Benchmarks;

/// <summary>The request every benchmark sends: a system and a user message, a model, and Vigil's feature and tier.</summary>
public static class BenchmarkScenario
{
    /// <summary>The name of MEAI's ActivitySource and Meter in the benchmarks.</summary>
    public const string OpenTelemetrySourceName = "bench";

    public static List<ChatMessage> Messages() =>
    [
        new(ChatRole.System, "You are a helpful support assistant."),
        new(ChatRole.User, "How do I reset my password?"),
    ];

    /// <summary>
    /// The same options go to every client. The <c>vigil.*</c> entries are what a Vigil user sets to get
    /// feature and tier labels; MEAI ignores them (it tags additional properties only with sensitive data on).
    /// </summary>
    public static ChatOptions Options() =>
        new ChatOptions { ModelId = FakeChatClient.Model }.WithVigil(feature: "support", userTier: "pro");

    public static async Task<int> DrainAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options)
    {
        var count = 0;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            count += update.Contents.Count;
        }

        return count;
    }
}
