using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vigil.Cli.Tests.Commands;

public sealed class DriftCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-cli-drift-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Drift_AllJson_OneObjectKeyedByMethodWithTheContractFields()
    {
        var reference = WriteSet("ref.jsonl", seed: 1, count: 60, dims: 6, shift: 0, objects: true);
        var current = WriteSet("cur.jsonl", seed: 2, count: 50, dims: 6, shift: 1.0, objects: false);

        var (code, stdout, stderr) = Run("drift", "--reference", reference, "--current", current, "--method", "all", "--format", "json");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(["cosine", "euclidean", "mmd", "ks"], root.EnumerateObject().Select(p => p.Name));
        foreach (var method in root.EnumerateObject())
        {
            Assert.True(method.Value.GetProperty("is_drifting").GetBoolean(), method.Name);
            Assert.Contains(method.Value.GetProperty("severity").GetString(), new[] { "warning", "critical" });
        }

        Assert.True(root.GetProperty("cosine").GetProperty("distance").GetDouble() > 0);
        Assert.True(root.GetProperty("euclidean").GetProperty("distance").GetDouble() > 1);
        var mmd = root.GetProperty("mmd");
        Assert.True(mmd.GetProperty("mmd2").GetDouble() > 0);
        Assert.Equal(1.0 / 101, mmd.GetProperty("p_value").GetDouble(), 12);
        Assert.True(mmd.GetProperty("bandwidth").GetDouble() > 0);
        var ks = root.GetProperty("ks");
        Assert.Equal(6, ks.GetProperty("p_values").GetArrayLength());
        Assert.Equal(6, ks.GetProperty("total_dimensions").GetInt32());
        Assert.InRange(ks.GetProperty("drifting_dimensions").GetInt32(), 1, 6);
        var minP = ks.GetProperty("p_values").EnumerateArray().Min(p => p.GetDouble()) * 6;
        Assert.Equal(Math.Min(1, minP), ks.GetProperty("min_p_value").GetDouble(), 15);
    }

    [Fact]
    public void Drift_SameSeed_SameOutput()
    {
        var reference = WriteSet("ref.jsonl", seed: 3, count: 40, dims: 5, shift: 0, objects: true);
        var current = WriteSet("cur.jsonl", seed: 4, count: 40, dims: 5, shift: 0.2, objects: true);
        string[] args = ["drift", "-r", reference, "-c", current, "--method", "mmd", "--seed", "42", "--permutations", "200", "--format", "json"];

        var first = Run(args);
        var second = Run(args);

        Assert.Equal(0, first.Code);
        Assert.Equal(first.Stdout, second.Stdout);
        using var json = JsonDocument.Parse(first.Stdout);
        Assert.Equal(["mmd"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(42, json.RootElement.GetProperty("mmd").GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Drift_CosineJson_HandComputedDistance()
    {
        var reference = Write("ref.jsonl", "[1, 0]", "[3, 0]");
        var current = Write("cur.jsonl", """{"embedding": [1, 2]}""", """{"embedding": [1, 0]}""");

        var (code, stdout, _) = Run("drift", "--reference", reference, "--current", current, "--method", "cosine", "--format", "json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var cosine = json.RootElement.GetProperty("cosine");
        Assert.Equal(1 - (1 / Math.Sqrt(2)), cosine.GetProperty("distance").GetDouble(), 15);
        Assert.Equal("critical", cosine.GetProperty("severity").GetString());
    }

    [Fact]
    public void Drift_Table_IsAReadableSummary()
    {
        var reference = WriteSet("ref.jsonl", seed: 5, count: 30, dims: 4, shift: 0, objects: true);
        var current = WriteSet("cur.jsonl", seed: 6, count: 30, dims: 4, shift: 0, objects: true);

        var (code, stdout, _) = Run("drift", "--reference", reference, "--current", current);

        Assert.Equal(0, code);
        Assert.Contains("30 vectors of 4 dimensions", stdout, StringComparison.Ordinal);
        foreach (var method in new[] { "cosine", "euclidean", "mmd", "ks" })
        {
            Assert.Contains($"\n{method} ", stdout, StringComparison.Ordinal);
        }

        Assert.Contains("severity", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_BenjaminiHochberg_ReportedAsTheCorrection()
    {
        var reference = WriteSet("ref.jsonl", seed: 7, count: 30, dims: 3, shift: 0, objects: true);
        var current = WriteSet("cur.jsonl", seed: 8, count: 30, dims: 3, shift: 0, objects: true);

        var (code, stdout, _) = Run("drift", "-r", reference, "-c", current, "-m", "ks", "--correction", "bh", "--format", "json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("benjamini_hochberg", json.RootElement.GetProperty("ks").GetProperty("correction").GetString());
    }

    [Fact]
    public void Drift_MissingFile_ExitsTwoNamingIt()
    {
        var reference = Write("ref.jsonl", "[1, 2]");

        var (code, stdout, stderr) = Run("drift", "--reference", reference, "--current", Path.Combine(_dir, "nope.jsonl"));

        Assert.Equal(2, code);
        Assert.Contains("nope.jsonl", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Drift_MismatchedDimensions_ExitsTwoNamingBothFiles()
    {
        var reference = Write("ref.jsonl", "[1, 2]", "[3, 4]");
        var current = Write("cur.jsonl", "[1, 2, 3]", "[3, 4, 5]");

        var (code, stdout, stderr) = Run("drift", "--reference", reference, "--current", current);

        Assert.Equal(2, code);
        Assert.Contains("ref.jsonl has 2-dimensional", stderr, StringComparison.Ordinal);
        Assert.Contains("cur.jsonl has 3-dimensional", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Drift_BadLines_NamedWithFileAndLineExitTwoAndTheRestIsUsed()
    {
        var reference = Write("ref.jsonl", "[1, 2]", "[2, 1]", "[1, 2, 3]", "[2, 2]");
        var current = Write("cur.jsonl", "[1, 1]", "oops", "[2, 2]");

        var (code, stdout, stderr) = Run("drift", "--reference", reference, "--current", current, "--method", "cosine", "--format", "json");

        Assert.Equal(2, code);
        Assert.Contains($"{reference}:3: embedding has 3 dimensions; expected 2", stderr, StringComparison.Ordinal);
        Assert.Contains($"{current}:2: not valid JSON", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.TryGetProperty("cosine", out _));
    }

    [Fact]
    public void Drift_NoEmbeddings_ExitsTwo()
    {
        var reference = Write("ref.jsonl", "");
        var current = Write("cur.jsonl", "[1]");

        var (code, _, stderr) = Run("drift", "--reference", reference, "--current", current);

        Assert.Equal(2, code);
        Assert.Contains("no embeddings", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_MmdWithOneVector_ExitsTwo()
    {
        var reference = Write("ref.jsonl", "[1, 2]");
        var current = Write("cur.jsonl", "[1, 2]", "[2, 3]");

        var (code, _, stderr) = Run("drift", "--reference", reference, "--current", current, "--method", "mmd");

        Assert.Equal(2, code);
        Assert.Contains("at least 2", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--method", "wasserstein")]
    [InlineData("--alpha", "0")]
    [InlineData("--alpha", "1.5")]
    [InlineData("--permutations", "0")]
    [InlineData("--format", "xml")]
    [InlineData("--seed", "abc")]
    public void Drift_BadOption_ExitsTwo(string option, string value)
    {
        var reference = Write("ref.jsonl", "[1, 2]", "[2, 3]");

        var (code, _, stderr) = Run("drift", "--reference", reference, "--current", reference, option, value);

        Assert.Equal(2, code);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public void Drift_Help_ListsTheOptions()
    {
        var (code, stdout, _) = Run("drift", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "--reference", "--current", "--method", "--alpha", "--permutations", "--seed", "--format" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    private string WriteSet(string name, int seed, int count, int dims, double shift, bool objects)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var vector = new StringBuilder("[");
            for (var d = 0; d < dims; d++)
            {
                // Box-Muller normal, shifted.
                var value = (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) + shift + (d == 0 ? 3 : 0);
                vector.Append(d > 0 ? ", " : string.Empty).Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            vector.Append(']');
            lines.Add(objects ? $$"""{"id": {{i}}, "embedding": {{vector}}}""" : vector.ToString());
        }

        return Write(name, [.. lines]);
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VigilCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
