using Microsoft.Extensions.AI;

namespace Vigil.Benchmarks;

/// <summary>A replayable stream of cached updates that completes every step synchronously.</summary>
public sealed class CachedUpdates(ChatResponseUpdate[] updates) : IAsyncEnumerable<ChatResponseUpdate>
{
    public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(updates);

    private sealed class Enumerator(ChatResponseUpdate[] updates) : IAsyncEnumerator<ChatResponseUpdate>
    {
        private int _index = -1;

        public ChatResponseUpdate Current => updates[_index];

        public ValueTask<bool> MoveNextAsync() => new(++_index < updates.Length);

        public ValueTask DisposeAsync() => default;
    }
}
