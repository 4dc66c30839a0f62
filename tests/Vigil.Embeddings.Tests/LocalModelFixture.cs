namespace Vigil.Embeddings.Tests;

/// <summary>One real model for the tests of a collection: loading it takes seconds.</summary>
public sealed class LocalModelFixture : IDisposable
{
    // Two runs at once, so that the tests also exercise concurrent runs of the one ONNX session.
    public MiniLmEmbeddingGenerator Generator { get; } = new(new MiniLmEmbeddingGeneratorOptions { MaxConcurrency = 2 });

    public void Dispose() => Generator.Dispose();
}

[CollectionDefinition(Name)]
public sealed class LocalModelGroup : ICollectionFixture<LocalModelFixture>
{
    public const string Name = "local model";
}
