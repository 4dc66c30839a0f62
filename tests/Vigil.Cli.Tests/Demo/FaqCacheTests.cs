using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Vigil.ChatClients;
using Vigil.Cli.Demo;
using Vigil.Records;

namespace Vigil.Cli.Tests.Demo;

/// <summary>The support agent's cache of frequent questions: hits without the model, marked for <c>UseVigil()</c>.</summary>
public sealed class FaqCacheTests
{
    private const string Answer = "Refunds reach your card within 7 business days. (simulated answer)";

    [Fact]
    public async Task GetResponse_SameQuestionTwice_SecondIsAHitWithoutTheModel()
    {
        var inner = new CountingClient(Answer);
        using var cache = new FaqCache(inner, new FakeTimeProvider());

        var first = await cache.GetResponseAsync(Question("How long does a refund take?"));
        var second = await cache.GetResponseAsync(Question("  how long does a refund take?"));

        Assert.Equal(1, inner.Calls);
        Assert.Equal(CacheOutcome.Miss, first.AdditionalProperties![VigilChatOptions.CacheKey]);
        Assert.Equal(CacheOutcome.Hit, second.AdditionalProperties![VigilChatOptions.CacheKey]);
        Assert.Equal(Answer, second.Text);
    }

    [Fact]
    public async Task GetStreamingResponse_SameQuestionTwice_SecondIsAHit()
    {
        var inner = new CountingClient(Answer);
        using var cache = new FaqCache(inner, new FakeTimeProvider());

        var first = await cache.GetStreamingResponseAsync(Question("Where can I download my invoices?")).ToChatResponseAsync();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in cache.GetStreamingResponseAsync(Question("Where can I download my invoices?")))
        {
            updates.Add(update);
        }

        Assert.Equal(1, inner.Calls);
        Assert.Equal(Answer, first.Text);
        var hit = Assert.Single(updates);
        Assert.Equal(CacheOutcome.Hit, hit.AdditionalProperties![VigilChatOptions.CacheKey]);
        Assert.Equal(Answer, hit.Text);
    }

    [Fact]
    public async Task GetResponse_AfterTheTimeToLive_AsksTheModelAgain()
    {
        var inner = new CountingClient(Answer);
        var time = new FakeTimeProvider();
        using var cache = new FaqCache(inner, time);

        await cache.GetResponseAsync(Question("How do I reset my password?"));
        time.Advance(FaqCache.TimeToLive + TimeSpan.FromSeconds(1));
        var again = await cache.GetResponseAsync(Question("How do I reset my password?"));

        Assert.Equal(2, inner.Calls);
        Assert.Equal(CacheOutcome.Miss, again.AdditionalProperties![VigilChatOptions.CacheKey]);
    }

    [Fact]
    public async Task GetResponse_DegradedOrEmptyAnswer_NotKept()
    {
        var degraded = new CountingClient(Answer, degradation: "model_fallback");
        var empty = new CountingClient("");
        using var degradedCache = new FaqCache(degraded, new FakeTimeProvider());
        using var emptyCache = new FaqCache(empty, new FakeTimeProvider());

        for (var i = 0; i < 2; i++)
        {
            await degradedCache.GetResponseAsync(Question("How long does delivery take?"));
            await emptyCache.GetResponseAsync(Question("How long does delivery take?"));
        }

        Assert.Equal(2, degraded.Calls);
        Assert.Equal(2, empty.Calls);
    }

    private static List<ChatMessage> Question(string text) => [new(ChatRole.System, "你是客服助手。"), new(ChatRole.User, text)];

    private sealed class CountingClient(string answer, string? degradation = null) : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { ModelId = "gpt-4.1-mini" };
            if (degradation is not null)
            {
                response.AdditionalProperties = new() { [VigilChatOptions.DegradationKey] = degradation };
            }

            return Task.FromResult(response);
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (var update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
