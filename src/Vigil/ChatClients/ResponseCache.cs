using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace Vigil.ChatClients;

/// <summary>
/// MEAI's <see cref="DistributedCachingChatClient"/> used as a store only: the degrading client writes answers under
/// MEAI's cache key in <c>normal</c> and reads them in <c>cached_only</c>, never calling a model through it.
/// </summary>
internal sealed class ResponseCache(IDistributedCache cache) : DistributedCachingChatClient(NoModel.Instance, cache)
{
    public string KeyOf(IEnumerable<ChatMessage> messages, ChatOptions? options) => GetCacheKey(messages, options);

    public Task<ChatResponse?> ReadAsync(string key, CancellationToken cancellationToken) => ReadCacheAsync(key, cancellationToken);

    public Task WriteAsync(string key, ChatResponse response, CancellationToken cancellationToken) => WriteCacheAsync(key, response, cancellationToken);

    private sealed class NoModel : IChatClient
    {
        public static readonly NoModel Instance = new();

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The response cache calls no model.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The response cache calls no model.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
