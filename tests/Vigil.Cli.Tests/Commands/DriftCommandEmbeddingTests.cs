using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Vigil.Cli.Commands;
using Vigil.Embeddings;

namespace Vigil.Cli.Tests.Commands;

/// <summary><c>vigil drift</c> on interaction records that carry text but no embedding: embedded locally by the real model.</summary>
public sealed class DriftCommandEmbeddingTests(LocalModelFixture model) : IClassFixture<LocalModelFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-cli-drift-embed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Drift_CookingQueriesThenTaxQueries_TopicDriftByEveryMethod()
    {
        var queries = new TopicQueries(seed: 11);
        var reference = WriteInteractions("cooking.jsonl", Enumerable.Range(0, 60).Select(_ => queries.Cooking()));
        var current = WriteInteractions("tax.jsonl", Enumerable.Range(0, 60).Select(_ => queries.Tax()));

        // The whole production path: the command loads the model itself.
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VigilCommandLine.Run(["drift", "-r", reference, "-c", current, "--method", "all", "--format", "json"], stdout, stderr);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout.ToString());
        foreach (var method in json.RootElement.EnumerateObject())
        {
            Assert.True(method.Value.GetProperty("is_drifting").GetBoolean(), method.Name);
            Assert.Equal("critical", method.Value.GetProperty("severity").GetString());
        }

        Assert.True(json.RootElement.GetProperty("cosine").GetProperty("distance").GetDouble() > 0.5);
        Assert.Equal(384, json.RootElement.GetProperty("ks").GetProperty("total_dimensions").GetInt32());
        Assert.Contains("cooking.jsonl: embedded the query of 60 record(s) locally with sentence-transformers/all-MiniLM-L6-v2.", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("tax.jsonl: embedded the query of 60 record(s)", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_TwoSamplesOfTheSameTopicMix_NoDriftByAnyMethod()
    {
        // Half cooking, half tax, on both sides; 200 a side, as the centroid's sampling noise needs (at 60 a side the
        // cosine distance of two such samples is about 0.05-0.09, over the seed's 0.05 threshold; mmd and ks hold).
        var queries = new TopicQueries(seed: 5);
        var reference = WriteInteractions("week1.jsonl", queries.Mix(100, 100));
        var current = WriteInteractions("week2.jsonl", queries.Mix(100, 100));

        var (code, stdout, stderr) = Run("drift", "-r", reference, "-c", current, "--method", "all", "--format", "json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        foreach (var method in json.RootElement.EnumerateObject())
        {
            Assert.False(method.Value.GetProperty("is_drifting").GetBoolean(), $"{method.Name}: {method.Value}");
            Assert.Equal("normal", method.Value.GetProperty("severity").GetString());
        }

        Assert.True(json.RootElement.GetProperty("mmd").GetProperty("p_value").GetDouble() > 0.05);
        Assert.DoesNotContain("warning", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_PinnedReference_SameAnswerAsTheRecordsItCameFrom()
    {
        var queries = new TopicQueries(seed: 21);
        var baseline = WriteInteractions("baseline.jsonl", queries.Mix(40, 40));
        var current = WriteInteractions("today.jsonl", queries.Mix(10, 30));
        var pin = Path.Combine(_dir, "pinned.jsonl");

        var first = Run("drift", "-r", baseline, "--reference-limit", "50", "--save-reference", pin, "-c", current, "--format", "json", "--seed", "3");
        var second = Run("drift", "-r", pin, "-c", current, "--format", "json", "--seed", "3");

        Assert.Equal(0, first.Code);
        Assert.Equal(0, second.Code);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains($"wrote the 50 reference vectors to {pin}", first.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", second.Stderr, StringComparison.Ordinal);
        var lines = File.ReadAllLines(pin);
        Assert.Equal(50, lines.Length);
        using var line = JsonDocument.Parse(lines[0]);
        Assert.Equal(384, line.RootElement.GetProperty("embedding").GetArrayLength());
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, line.RootElement.GetProperty("embedding_model").GetString());
    }

    [Fact]
    public void Drift_SaveReferenceWithoutCurrent_OnlyPinsTheBaseline()
    {
        var queries = new TopicQueries(seed: 2);
        var baseline = WriteInteractions("baseline.jsonl", queries.Mix(5, 5));
        var pin = Path.Combine(_dir, "pin.jsonl");

        var (code, stdout, stderr) = Run("drift", "--reference", baseline, "--save-reference", pin);

        Assert.Equal(0, code);
        Assert.Empty(stdout);
        Assert.Equal(10, File.ReadAllLines(pin).Length);
        Assert.Contains("wrote the 10 reference vectors", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_BadInteractionLines_NamedWithFileAndLineAndTheRestUsed()
    {
        var queries = new TopicQueries(seed: 8);
        var reference = Write("ref.jsonl",
            TopicQueries.Interaction(1, queries.Cooking()),
            """{"trace_id": "no-query", "status": "success"}""",
            """{"trace_id": "numeric", "query": 5}""",
            "{not json",
            """{"trace_id": "blank", "query": "  "}""",
            TopicQueries.Interaction(6, queries.Cooking()),
            TopicQueries.Interaction(7, queries.Tax()));
        var current = WriteInteractions("cur.jsonl", Enumerable.Range(0, 3).Select(_ => queries.Tax()));

        var (code, stdout, stderr) = Run("drift", "-r", reference, "-c", current, "--method", "cosine", "--format", "json");

        Assert.Equal(2, code);
        Assert.Contains($"{reference}:2: embedding: missing, and no query to compute it from", stderr, StringComparison.Ordinal);
        Assert.Contains($"{reference}:3: query: expected a string", stderr, StringComparison.Ordinal);
        Assert.Contains($"{reference}:4: not valid JSON", stderr, StringComparison.Ordinal);
        Assert.Contains($"{reference}:5: query: empty, nothing to embed", stderr, StringComparison.Ordinal);
        Assert.Contains("ref.jsonl: embedded the query of 3 record(s)", stderr, StringComparison.Ordinal);
        Assert.Contains("4 line(s) rejected", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("cosine").GetProperty("distance").GetDouble() > 0);
    }

    [Fact]
    public void Drift_StoredVectorsOfAnotherModelBesideComputedOnes_WarnsUnlessRecomputed()
    {
        var queries = new TopicQueries(seed: 4);
        var random = new Random(4);
        var reference = Write("ref.jsonl", Enumerable.Range(0, 20).Select(i =>
        {
            var record = JsonSerializer.Deserialize<Dictionary<string, object>>(TopicQueries.Interaction(i, queries.Cooking()))!;
            record["embedding"] = Enumerable.Range(0, 384).Select(_ => random.NextDouble() - 0.5).ToArray();
            return JsonSerializer.Serialize(record);
        }).ToArray());
        var current = WriteInteractions("cur.jsonl", Enumerable.Range(0, 20).Select(_ => queries.Cooking()));

        var mixed = Run("drift", "-r", reference, "-c", current, "--method", "cosine", "--format", "json");
        var recomputed = Run("drift", "-r", reference, "-c", current, "--method", "cosine", "--format", "json", "--recompute");

        Assert.Equal(0, mixed.Code);
        Assert.Contains("warning: the vectors come from more than one embedding model (vectors that name no model, sentence-transformers/all-MiniLM-L6-v2)", mixed.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, recomputed.Code);
        Assert.DoesNotContain("warning", recomputed.Stderr, StringComparison.Ordinal);
        Assert.Contains("ref.jsonl: embedded the query of 20 record(s) locally with sentence-transformers/all-MiniLM-L6-v2.\n", recomputed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_EmbedFieldResponse_ComparesTheAnswersNotTheQueries()
    {
        var queries = new TopicQueries(seed: 9);
        var asked = Enumerable.Range(0, 30).Select(_ => queries.Cooking()).ToList();
        var reference = Write("ref.jsonl", [.. asked.Select((q, i) => TopicQueries.Interaction(i, q, response: queries.Cooking()))]);
        var current = Write("cur.jsonl", [.. asked.Select((q, i) => TopicQueries.Interaction(i, q, response: queries.Tax()))]);

        var byQuery = Run("drift", "-r", reference, "-c", current, "--method", "cosine", "--format", "json");
        var byResponse = Run("drift", "-r", reference, "-c", current, "--method", "cosine", "--format", "json", "--embed-field", "response");

        using var query = JsonDocument.Parse(byQuery.Stdout);
        using var response = JsonDocument.Parse(byResponse.Stdout);
        Assert.Equal(0, query.RootElement.GetProperty("cosine").GetProperty("distance").GetDouble(), 6);
        Assert.Equal("critical", response.RootElement.GetProperty("cosine").GetProperty("severity").GetString());
        Assert.Contains("embedded the response of 30 record(s)", byResponse.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_ModelCannotLoad_ExitsOneSayingWhy()
    {
        var queries = new TopicQueries(seed: 1);
        var reference = WriteInteractions("ref.jsonl", [queries.Cooking(), queries.Tax()]);
        var missingNative = () => (IEmbeddingGenerator<string, Embedding<float>>)new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions(),
            _ => throw new TypeInitializationException("Microsoft.ML.OnnxRuntime.NativeMethods", new DllNotFoundException("Unable to load shared library 'onnxruntime'")),
            TimeProvider.System);

        var (code, stdout, stderr) = RunWith(missingNative, "drift", "-r", reference, "-c", reference);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("vigil drift: The local embedding model (all-MiniLM-L6-v2) could not be loaded: ONNX Runtime's native library is missing", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_FilesOfVectors_NeverLoadTheModel()
    {
        var reference = Write("ref.jsonl", "[1, 2]", """{"embedding": [2, 1]}""", "[2, 2]");
        var current = Write("cur.jsonl", "[1, 1]", "[3, 1]");
        var asked = 0;

        var (code, stdout, stderr) = RunWith(() => { asked++; throw new EmbeddingModelLoadException("must not be loaded"); },
            "drift", "-r", reference, "-c", current, "--method", "cosine", "--format", "json");

        Assert.Equal(0, code);
        Assert.Equal(0, asked);
        Assert.Empty(stderr);
        Assert.True(JsonDocument.Parse(stdout).RootElement.TryGetProperty("cosine", out _));
    }

    [Fact]
    public void Drift_EmbedderNone_RecordsWithoutEmbeddingRejectedAsBefore()
    {
        var reference = Write("ref.jsonl", "[1, 2]", """{"query": "How do I bake bread?"}""", "[2, 1]");
        var lent = model.Lent;

        var (code, _, stderr) = Run("drift", "-r", reference, "-c", reference, "--method", "cosine", "--embedder", "none");

        Assert.Equal(2, code);
        Assert.Contains($"{reference}:2: embedding: missing", stderr, StringComparison.Ordinal);
        Assert.Equal(lent, model.Lent);
    }

    [Theory]
    [InlineData("--embedder", "openai")]
    [InlineData("--embed-field", "prompt")]
    [InlineData("--reference-limit", "0")]
    [InlineData("--recompute", "--embedder", "none")]
    [InlineData("--embed-field", "response", "--embedder", "none")]
    public void Drift_BadEmbeddingOption_ExitsTwo(params string[] options)
    {
        var reference = Write("ref.jsonl", "[1, 2]", "[2, 3]");

        var (code, stdout, stderr) = Run(["drift", "-r", reference, "-c", reference, .. options]);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public void Drift_NoCurrentAndNothingToSave_ExitsTwoNamingCurrent()
    {
        var reference = Write("ref.jsonl", "[1, 2]", "[2, 3]");

        var (code, _, stderr) = Run("drift", "-r", reference);

        Assert.Equal(2, code);
        Assert.Contains("--current", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_Help_ListsTheEmbeddingOptions()
    {
        var (code, stdout, _) = Run("drift", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "--embedder", "--embed-field", "--recompute", "--reference-limit", "--save-reference" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    private string WriteInteractions(string name, IEnumerable<string> queries) =>
        Write(name, [.. queries.Select((q, i) => TopicQueries.Interaction(i, q))]);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] args) => RunWith(model.Lend, args);

    /// <summary>Parses and runs like <see cref="VigilCommandLine.Run"/>, with <paramref name="localEmbedder"/> as the local model.</summary>
    private static (int Code, string Stdout, string Stderr) RunWith(Func<IEmbeddingGenerator<string, Embedding<float>>> localEmbedder, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var root = new Command("vigil") { new System.CommandLine.Help.HelpOption(), DriftCommand.Create(localEmbedder) };
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                stderr.WriteLine($"vigil: {error.Message}");
            }

            return (VigilCommandLine.BadUsage, stdout.ToString(), stderr.ToString());
        }

        var code = parseResult.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
