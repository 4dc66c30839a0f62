using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace Vigil.Embeddings.Benchmarks;

/// <summary>
/// Local embedding time per text with all-MiniLM-L6-v2 (<see cref="MiniLmEmbeddingGenerator"/>, default options):
/// one text a call, and 32 texts a call (one model run). Texts are user queries of 8-14 words, like a support chat's.
/// </summary>
[MemoryDiagnoser]
public class LocalEmbeddingBenchmarks
{
    private const int BatchSize = 32;

    private static readonly string[] Queries =
    [
        "How long should I bake a whole chicken in the oven?",
        "Can I deduct my home office on my income tax return this year?",
        "What can I substitute for butter when making sourdough bread?",
        "My package has not arrived yet and the tracking page shows nothing new.",
        "How do I reset my password if I no longer have access to my email?",
        "What records should I keep for a rental property in case of an audit?",
        "Is it safe to eat leftover paella that was left out overnight?",
        "Do I have to pay quarterly estimated tax on freelance income?",
    ];

    private MiniLmEmbeddingGenerator _generator = null!;
    private string[] _single = null!;
    private string[] _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _generator = new MiniLmEmbeddingGenerator();
        _single = [Queries[0]];
        _batch = [.. Enumerable.Range(0, BatchSize).Select(i => Queries[i % Queries.Length])];
    }

    [GlobalCleanup]
    public void Cleanup() => _generator.Dispose();

    [Benchmark(Description = "1 text a call")]
    public Task<GeneratedEmbeddings<Embedding<float>>> OneText() => _generator.GenerateAsync(_single);

    [Benchmark(Description = "32 texts a call, per text", OperationsPerInvoke = BatchSize)]
    public Task<GeneratedEmbeddings<Embedding<float>>> BatchOf32() => _generator.GenerateAsync(_batch);
}
