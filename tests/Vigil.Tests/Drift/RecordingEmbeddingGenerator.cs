using Microsoft.Extensions.AI;

namespace Vigil.Tests.Drift;

/// <summary>
/// An embedder without a model: a text's vector is (its length, its first character's code, 1, ...) in
/// <c>dimensions</c> dimensions. It records every batch it is given.
/// </summary>
internal sealed class RecordingEmbeddingGenerator(int dimensions = 3, string modelId = "fake-model") : IEmbeddingGenerator<string, Embedding<float>>
{
    public List<string[]> Batches { get; } = [];

    public Func<string, float[]>? VectorOverride { get; init; }

    public static float[] VectorOf(string text, int dimensions)
    {
        var vector = new float[dimensions];
        vector[0] = text.Length;
        if (dimensions > 1)
        {
            vector[1] = text[0];
        }

        for (var i = 2; i < dimensions; i++)
        {
            vector[i] = 1;
        }

        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        string[] texts = [.. values];
        Batches.Add(texts);
        var embeddings = texts.Select(t => new Embedding<float>(VectorOverride?.Invoke(t) ?? VectorOf(t, dimensions)) { ModelId = modelId });
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fake", null, modelId, dimensions) : null;

    public void Dispose()
    {
    }
}
