namespace Vigil.Embeddings.Tests;

/// <summary>Batching, disposal and load failures, with a stand-in for the model.</summary>
public sealed class MiniLmEmbeddingGeneratorLifecycleTests
{
    [Fact]
    public async Task GenerateAsync_MoreThanABatch_BatchesOfSimilarLengthResultsInOrder()
    {
        var encoder = new StandInEncoder();
        using var generator = Create(encoder, new MiniLmEmbeddingGeneratorOptions { MaxBatchSize = 3 });
        string[] texts = ["aaaaaaa", "a", "aaaaa", "aa", "aaaaaa", "aaa", "aaaa"];

        var embeddings = await generator.GenerateAsync(texts);

        Assert.Equal([3, 3, 1], encoder.Batches.Select(b => b.Length));
        Assert.Equal(["a", "aa", "aaa"], encoder.Batches[0]);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(StandInEncoder.VectorOf(texts[i]), embeddings[i].Vector.ToArray());
        }
    }

    [Fact]
    public async Task Dispose_WhileARunIsInProgress_StopsItAndFreesTheModel()
    {
        var encoder = new StandInEncoder { Hold = true };
        var generator = Create(encoder, new MiniLmEmbeddingGeneratorOptions());
        var running = generator.GenerateAsync(["held"]);
        await encoder.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => running);
        Assert.True(encoder.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["later"]));
        generator.Dispose();
    }

    [Fact]
    public async Task GenerateAsync_OneRunAtATimeByDefault_TheSecondCallerWaits()
    {
        var encoder = new StandInEncoder { Hold = true };
        using var generator = Create(encoder, new MiniLmEmbeddingGeneratorOptions());
        var first = generator.GenerateAsync(["first"]);
        await encoder.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var second = generator.GenerateAsync(["second"]);
        await Task.Delay(100);

        Assert.Single(encoder.Batches);
        Assert.False(second.IsCompleted);
        encoder.Release();
        encoder.Release();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, encoder.Batches.Count);
    }

    [Fact]
    public void Create_NativeLibraryMissing_EmbeddingModelLoadExceptionSayingSo()
    {
        var missing = new TypeInitializationException("Microsoft.ML.OnnxRuntime.NativeMethods",
            new DllNotFoundException("Unable to load shared library 'onnxruntime' or one of its dependencies."));

        var ex = Assert.Throws<EmbeddingModelLoadException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions(), _ => throw missing, TimeProvider.System));

        Assert.Contains("ONNX Runtime's native library is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Unable to load shared library 'onnxruntime'", ex.Message, StringComparison.Ordinal);
        Assert.Same(missing, ex.InnerException);
    }

    [Fact]
    public void Create_ModelRejected_EmbeddingModelLoadExceptionWithTheCause()
    {
        var ex = Assert.Throws<EmbeddingModelLoadException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions(),
            _ => throw new InvalidDataException("model.onnx is truncated"), TimeProvider.System));

        Assert.Contains("could not be loaded: InvalidDataException: model.onnx is truncated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(32, 0, 0)]
    [InlineData(32, 1, -1)]
    public void Create_OptionOutOfRange_ArgumentExceptionNamingIt(int maxBatchSize, int maxConcurrency, int intraOpThreads)
    {
        var options = new MiniLmEmbeddingGeneratorOptions { MaxBatchSize = maxBatchSize, MaxConcurrency = maxConcurrency, IntraOpThreads = intraOpThreads };

        var ex = Assert.Throws<ArgumentException>(() => Create(new StandInEncoder(), options));

        Assert.Contains(nameof(MiniLmEmbeddingGeneratorOptions), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_ModelFailsWithoutCancellation_TheErrorPassesThrough()
    {
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions(), _ => new FailingEncoder(), TimeProvider.System);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(["x"]));
        Assert.Equal("broken graph", ex.Message);
    }

    private static MiniLmEmbeddingGenerator Create(StandInEncoder encoder, MiniLmEmbeddingGeneratorOptions options) =>
        new(options, _ => encoder, TimeProvider.System);

    private sealed class FailingEncoder : SentenceTransformers.ISentenceEncoder
    {
        public float[][] Encode(string[] sentences, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("broken graph");
    }
}
