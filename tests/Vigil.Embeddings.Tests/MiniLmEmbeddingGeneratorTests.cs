using Microsoft.Extensions.AI;

namespace Vigil.Embeddings.Tests;

/// <summary>The real model, from the package.</summary>
[Collection(LocalModelGroup.Name)]
public sealed class MiniLmEmbeddingGeneratorTests(LocalModelFixture fixture)
{
    private readonly MiniLmEmbeddingGenerator _generator = fixture.Generator;

    [Fact]
    public void Metadata_NamesTheModelAnd384Dimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal("onnxruntime", metadata.ProviderName);
        Assert.Same(_generator, _generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(_generator.GetService<EmbeddingGeneratorMetadata>("some key"));
    }

    [Fact]
    public async Task GenerateAsync_Texts_UnitLength384DimensionalVectorsTaggedWithTheModel()
    {
        string[] texts = ["How do I roast a chicken?", "", "Ünïcödé, emoji 🙂 and punctuation!?", new string('x', 5000), "What is the capital gains tax rate?"];

        var embeddings = await _generator.GenerateAsync(texts);

        Assert.Equal(texts.Length, embeddings.Count);
        foreach (var embedding in embeddings)
        {
            Assert.Equal(384, embedding.Dimensions);
            Assert.Equal(1.0, VectorMath.Norm(embedding.Vector.Span), 4);
            Assert.All(embedding.Vector.ToArray(), v => Assert.True(float.IsFinite(v)));
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, embedding.ModelId);
            Assert.NotNull(embedding.CreatedAt);
        }
    }

    [Theory]
    [InlineData("How do I roast a whole chicken in the oven?", "What temperature should I bake chicken at?", "How do I file my income tax return?")]
    [InlineData("Can I deduct my home office on my taxes?", "Is a home office tax deductible?", "What is a good recipe for banana bread?")]
    [InlineData("My package has not arrived yet.", "Where is my order? It is late.", "How do I reset my password?")]
    [InlineData("The cat is sleeping on the sofa.", "A kitten naps on the couch.", "Interest rates rose again this quarter.")]
    public async Task GenerateAsync_Paraphrase_CloserThanAnUnrelatedSentence(string anchor, string paraphrase, string unrelated)
    {
        var embeddings = await _generator.GenerateAsync([anchor, paraphrase, unrelated]);

        var similar = VectorMath.Cosine(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        var different = VectorMath.Cosine(embeddings[0].Vector.Span, embeddings[2].Vector.Span);
        Assert.True(similar > different + 0.2, $"paraphrase {similar:0.###} vs unrelated {different:0.###}");
    }

    [Fact]
    public async Task GenerateAsync_SameText_SameVectorWhateverTheBatch()
    {
        const string text = "How long should I boil an egg for a soft yolk?";

        var alone = await _generator.GenerateAsync([text]);
        var again = await _generator.GenerateAsync([text]);
        var inABatch = await _generator.GenerateAsync(["A much longer sentence that pads the batch: what documents do I need to file taxes as a freelancer?", text, "short"]);

        Assert.Equal(alone[0].Vector.ToArray(), again[0].Vector.ToArray());
        Assert.True(VectorMath.MaxAbsDifference(alone[0].Vector.Span, inABatch[1].Vector.Span) < 1e-5);
    }

    [Fact]
    public async Task GenerateAsync_MoreTextsThanABatch_EachEmbeddingInTheOrderOfItsText()
    {
        // 70 texts of mixed lengths: three batches of 32, sorted by length inside the generator.
        var texts = Enumerable.Range(0, 70)
            .Select(i => i % 3 == 0 ? $"Question {i}: how do I cook rice?" : $"Question {i}: {string.Join(' ', Enumerable.Repeat("what about my tax refund", 1 + (i % 7)))}")
            .ToArray();

        var together = await _generator.GenerateAsync(texts);

        Assert.Equal(70, together.Count);
        for (var i = 0; i < texts.Length; i += 7)
        {
            var alone = await _generator.GenerateAsync([texts[i]]);
            Assert.True(VectorMath.MaxAbsDifference(alone[0].Vector.Span, together[i].Vector.Span) < 1e-5, $"text {i}");
        }
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentCallers_SameVectorsAsOneByOne()
    {
        var texts = Enumerable.Range(0, 12).Select(i => $"Caller {i} asks about {(i % 2 == 0 ? "sourdough bread" : "VAT returns")} number {i}").ToArray();
        var expected = new float[texts.Length][];
        for (var i = 0; i < texts.Length; i++)
        {
            expected[i] = (await _generator.GenerateAsync([texts[i]]))[0].Vector.ToArray();
        }

        var concurrent = await Task.WhenAll(texts.Select(t => Task.Run(() => _generator.GenerateAsync([t]))));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(VectorMath.MaxAbsDifference(expected[i], concurrent[i][0].Vector.Span) < 1e-5, $"text {i}");
        }
    }

    [Fact]
    public async Task GenerateAsync_AlreadyCancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(["a text"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GenerateAsync_CancelledWhileRunning_StopsWithOperationCanceled()
    {
        // 4096 texts of 256 word pieces: a minute or more of work even on a fast machine (256 of them take seconds),
        // stopped after 100 ms; a stop within 20 s of the cancellation is far sooner than the run would end.
        var texts = Enumerable.Range(0, 4096).Select(i => string.Join(' ', Enumerable.Range(0, 300).Select(w => $"w{(w * 31) + i}"))).ToArray();
        using var cts = new CancellationTokenSource();

        var generating = _generator.GenerateAsync(texts, cancellationToken: cts.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        var cancelled = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generating);

        Assert.True(cancelled.Elapsed < TimeSpan.FromSeconds(20), $"stopped {cancelled.Elapsed} after the cancellation");
        var after = await _generator.GenerateAsync(["still works"]);
        Assert.Equal(384, after[0].Dimensions);
    }

    [Fact]
    public async Task GenerateAsync_NoTexts_NoEmbeddings()
    {
        var embeddings = await _generator.GenerateAsync([]);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task GenerateAsync_OtherDimensionsOrModel_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 256 }));
        await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }));
        var named = await _generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "all-MiniLM-L6-v2", Dimensions = 384 });
        Assert.Single(named);
    }

    [Fact]
    public async Task GenerateAsync_NullText_ArgumentExceptionNamingIt()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(["a", null!]));

        Assert.Contains("values[1]", ex.Message, StringComparison.Ordinal);
    }
}
