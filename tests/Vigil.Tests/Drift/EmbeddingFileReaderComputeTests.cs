using Vigil.Drift;
using Vigil.Reports;

namespace Vigil.Tests.Drift;

/// <summary>Records without an embedding get one from an embedder (here one without a model).</summary>
public sealed class EmbeddingFileReaderComputeTests
{
    [Fact]
    public async Task ReadAsync_RecordsWithoutEmbedding_EmbeddedFromTheQueryInFileOrderAndBatches()
    {
        var embedder = new RecordingEmbeddingGenerator();
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => embedder, BatchSize = 2 },
            """{"trace_id": "a", "query": "ab"}""",
            "[9, 9, 9]",
            """{"trace_id": "b", "query": "xyz", "response": "ignored"}""",
            """{"trace_id": "c", "query": "q", "embedding": null}""",
            """{"trace_id": "d", "query": "not used", "embedding": [7, 7, 7]}""",
            """{"trace_id": "e", "query": "last one"}""");

        Assert.Empty(errors);
        var set = result.Set!;
        Assert.Equal(6, set.Count);
        Assert.Equal([2.0, 'a', 1], set[0].ToArray());
        Assert.Equal([9.0, 9, 9], set[1].ToArray());
        Assert.Equal([3.0, 'x', 1], set[2].ToArray());
        Assert.Equal([1.0, 'q', 1], set[3].ToArray());
        Assert.Equal([7.0, 7, 7], set[4].ToArray());
        Assert.Equal([8.0, 'l', 1], set[5].ToArray());
        Assert.Equal([["ab", "xyz"], ["q", "last one"]], embedder.Batches);
        Assert.Equal((2, 4, "fake-model"), (result.Stored, result.Computed, result.ModelId));
        Assert.Equal([null], result.StoredModels);
        Assert.Equal([null, "fake-model"], result.Models);
    }

    [Fact]
    public async Task ReadAsync_FileOfVectors_NeverAsksForTheEmbedder()
    {
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => throw new InvalidOperationException("no model here") },
            """{"embedding": [1, 2]}""", "[3, 4]");

        Assert.Empty(errors);
        Assert.Equal((2, 0, null), (result.Stored, result.Computed, result.ModelId));
    }

    [Fact]
    public async Task ReadAsync_Recompute_EmbedsEveryRecordIgnoringStoredVectors()
    {
        var embedder = new RecordingEmbeddingGenerator();
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => embedder, Recompute = true },
            """{"query": "abc", "embedding": [1, 2, 3, 4, 5]}""",
            """{"query": "de"}""",
            "[1, 2, 3]");

        Assert.Equal(2, result.Set!.Count);
        Assert.Equal([3.0, 'a', 1], result.Set[0].ToArray());
        Assert.Equal((0, 2), (result.Stored, result.Computed));
        var error = Assert.Single(errors);
        Assert.Equal("emb.jsonl:3: a bare array has no query to embed; give interaction records", error.ToString());
    }

    [Fact]
    public async Task ReadAsync_ResponseField_EmbedsTheResponseNeverTheQueryEmbedding()
    {
        var embedder = new RecordingEmbeddingGenerator();
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => embedder, TextField = EmbeddingTextField.Response },
            """{"query": "q", "response": "Answer", "embedding": [1, 2, 3]}""",
            """{"query": "q", "embedding": [1, 2, 3]}""");

        Assert.Equal([6.0, 'A', 1], Assert.Single(Enumerable.Range(0, result.Set!.Count).Select(i => result.Set[i].ToArray())));
        Assert.Equal("response: missing, nothing to embed", Assert.Single(errors).Message);
        Assert.Equal(["Answer"], Assert.Single(embedder.Batches));
    }

    [Fact]
    public async Task ReadAsync_RecordsWithNothingToEmbed_NamedWithTheirLinesAndSkipped()
    {
        var embedder = new RecordingEmbeddingGenerator();
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => embedder },
            """{"trace_id": "no text"}""",
            """{"query": 42}""",
            """{"query": "   "}""",
            """{"query": "fine"}""",
            """{"query": "bad vector", "embedding": "1,2"}""",
            """{"query": null}""");

        Assert.Equal(1, result.Set!.Count);
        Assert.Equal([1, 2, 3, 5, 6], errors.Select(e => (int)e.Line));
        Assert.Equal("embedding: missing, and no query to compute it from", errors[0].Message);
        Assert.Equal("query: expected a string", errors[1].Message);
        Assert.Equal("query: empty, nothing to embed", errors[2].Message);
        Assert.Equal("embedding: expected an array of numbers", errors[3].Message);
        Assert.Equal("embedding: missing, and no query to compute it from", errors[4].Message);
    }

    [Fact]
    public async Task ReadAsync_ComputedVectorOfAnotherDimension_RejectedNamingTheLine()
    {
        var embedder = new RecordingEmbeddingGenerator(dimensions: 4);
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => embedder },
            "[1, 2, 3]", """{"query": "text"}""", "[4, 5, 6]");

        Assert.Equal(2, result.Set!.Count);
        Assert.Equal("emb.jsonl:2: the embedding computed from the query has 4 dimensions; expected 3 (as line 1)", Assert.Single(errors).ToString());
    }

    [Fact]
    public async Task ReadAsync_EmbedderReturnsNaN_LineRejected()
    {
        var embedder = new RecordingEmbeddingGenerator { VectorOverride = t => t == "bad" ? [float.NaN, 1, 1] : [1, 1, 1] };
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => embedder },
            """{"query": "ok"}""", """{"query": "bad"}""");

        Assert.Equal(1, result.Set!.Count);
        Assert.Equal(2, Assert.Single(errors).Line);
    }

    [Fact]
    public async Task ReadAsync_Limit_OnlyTheFirstVectorsAreReadAndEmbedded()
    {
        var embedder = new RecordingEmbeddingGenerator();
        var (result, errors) = await ReadAsync(new EmbeddingReadOptions { Embedder = () => embedder, Limit = 3 },
            """{"query": "one"}""", "oops", "[1, 2, 3]", "", """{"query": "three"}""", """{"query": "four"}""", "also not read");

        Assert.Equal(3, result.Set!.Count);
        Assert.Equal(["one", "three"], embedder.Batches.SelectMany(b => b));
        Assert.Equal(2, Assert.Single(errors).Line);
    }

    [Fact]
    public async Task ReadFileAsync_Progress_ReportedAfterEachBatchWithTheShareOfTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-progress-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 10).Select(i => $$"""{"query": "question {{i}}"}"""));
        try
        {
            var reports = new List<EmbeddingReadProgress>();
            var options = new EmbeddingReadOptions { Embedder = () => new RecordingEmbeddingGenerator(), BatchSize = 4, Progress = new SynchronousProgress(reports.Add) };

            var result = await EmbeddingFileReader.ReadFileAsync(path, options, _ => Assert.Fail("no error expected"));

            Assert.Equal(10, result.Computed);
            Assert.Equal([4, 8, 10], reports.Select(r => r.Embedded));
            Assert.All(reports, r => Assert.Equal(path, r.File));
            Assert.Equal(1.0, reports[^1].Fraction);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_TextToEmbedButNoEmbedder_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ReadAsync(new EmbeddingReadOptions { Recompute = true }, "[1]"));
        await Assert.ThrowsAsync<ArgumentException>(() => ReadAsync(new EmbeddingReadOptions { Limit = 0 }, "[1]"));
    }

    [Fact]
    public async Task WriteFile_WithAModel_ReadBackNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-pin-{Guid.NewGuid():N}.jsonl");
        try
        {
            EmbeddingFileWriter.WriteFile(path, new EmbeddingSet([1, 2, 3, 4], 2), "org/model-x");

            var result = await EmbeddingFileReader.ReadFileAsync(path, new EmbeddingReadOptions(), e => Assert.Fail(e.ToString()));

            Assert.Equal("{\"embedding\":[1,2],\"embedding_model\":\"org/model-x\"}", (await File.ReadAllLinesAsync(path))[0]);
            Assert.Equal(["org/model-x"], result.StoredModels);
            Assert.Equal(["org/model-x"], result.Models);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriteFile_ThenRead_TheSameVectorsExactly()
    {
        double[] values = [0.1, -1e-300, 1.0 / 3, (float)0.123456789f, 123456789.125, 0];
        var set = new EmbeddingSet(values, 3);
        var path = Path.Combine(Path.GetTempPath(), $"vigil-pin-{Guid.NewGuid():N}.jsonl");
        try
        {
            EmbeddingFileWriter.WriteFile(path, set);
            var lines = File.ReadAllLines(path);
            var back = EmbeddingFileReader.ReadFile(path, e => Assert.Fail(e.ToString()));

            Assert.Equal(2, lines.Length);
            Assert.StartsWith("{\"embedding\":[0.1,", lines[0], StringComparison.Ordinal);
            Assert.Equal(values, back!.Values.ToArray());
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"{Path.GetFileName(path)}.*.tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(EmbeddingReadResult Result, List<LineError> Errors)> ReadAsync(EmbeddingReadOptions options, params string[] lines)
    {
        var errors = new List<LineError>();
        using var reader = new StringReader(string.Join('\n', lines));
        var result = await EmbeddingFileReader.ReadAsync(reader, "emb.jsonl", options, errors.Add);
        return (result, errors);
    }

    private sealed class SynchronousProgress(Action<EmbeddingReadProgress> report) : IProgress<EmbeddingReadProgress>
    {
        public void Report(EmbeddingReadProgress value) => report(value);
    }
}
