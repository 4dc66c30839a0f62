using Microsoft.Extensions.AI;
using Vigil.Embeddings;

namespace Vigil.Cli.Tests.Commands;

/// <summary>One real local model for the drift tests (loading it takes seconds), lent to each run without being disposed by it.</summary>
public sealed class LocalModelFixture : IDisposable
{
    private readonly MiniLmEmbeddingGenerator _model = new();
    private int _lent;

    /// <summary>How many times a run asked for the embedder.</summary>
    public int Lent => Volatile.Read(ref _lent);

    public IEmbeddingGenerator<string, Embedding<float>> Lend()
    {
        Interlocked.Increment(ref _lent);
        return new Borrowed(_model);
    }

    public void Dispose() => _model.Dispose();

    /// <summary>The model, lent: the command disposes what it was given, and the fixture owns the model.</summary>
    private sealed class Borrowed(IEmbeddingGenerator<string, Embedding<float>> model) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            model.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => model.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}
