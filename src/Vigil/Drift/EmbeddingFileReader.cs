using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Vigil.Reports;

namespace Vigil.Drift;

/// <summary>
/// Reads a file of embeddings for <c>vigil drift</c>: JSON Lines of <c>{"embedding": [..]}</c> (other fields ignored)
/// or of bare arrays <c>[..]</c>. Blank lines are skipped. Every vector must have the dimension of the first good one;
/// a bad line (not JSON, no embedding, a value that is not a finite number, an empty vector, another dimension) is
/// reported with its file and line and skipped, and the lines around it are kept.
/// </summary>
/// <remarks>
/// With an <see cref="EmbeddingReadOptions.Embedder"/>, a record without an embedding (an interaction record, say)
/// gets one computed from its text (<c>query</c> by default), in batches, and the vectors stay in file order.
/// </remarks>
public static class EmbeddingFileReader
{
    private const int FileBufferSize = 1 << 16;

    /// <summary>Reads the file at <paramref name="path"/>; the set is null when no line held a vector.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static EmbeddingSet? ReadFile(string path, Action<LineError> onError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, onError, cancellationToken);
    }

    /// <summary>Reads JSON Lines from <paramref name="reader"/>, naming <paramref name="fileName"/> in errors.</summary>
    public static EmbeddingSet? Read(TextReader reader, string fileName, Action<LineError> onError, CancellationToken cancellationToken = default)
    {
        // Without an embedder nothing is awaited: the task has finished when it is returned.
        var read = ReadCoreAsync(reader, fileName, EmbeddingReadOptions.StoredOnly, onError, length: null, cancellationToken);
        return read.GetAwaiter().GetResult().Set;
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> as <paramref name="options"/> say, computing the embeddings that
    /// records lack when they give an embedder.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (text to embed but no embedder, a limit below 1).</exception>
    /// <remarks>Whatever the embedder or its factory throws (a model that cannot load, say) is thrown as it is.</remarks>
    public static async Task<EmbeddingReadResult> ReadFileAsync(string path, EmbeddingReadOptions options, Action<LineError> onError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, FileBufferSize);
            var length = stream.Length;
            return await ReadCoreAsync(reader, path, options, onError, length > 0 ? length : null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads JSON Lines from <paramref name="reader"/> as <paramref name="options"/> say, naming <paramref name="fileName"/> in errors.</summary>
    public static Task<EmbeddingReadResult> ReadAsync(TextReader reader, string fileName, EmbeddingReadOptions options, Action<LineError> onError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        return ReadCoreAsync(reader, fileName, options, onError, length: null, cancellationToken);
    }

    private static void Check(EmbeddingReadOptions options)
    {
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new ArgumentException(string.Join("; ", problems.Select(p => p.ErrorMessage)), nameof(options));
        }

        if (!options.UsesStoredVectors && options.Embedder is null)
        {
            throw new ArgumentException(
                $"Embedding every record's {options.TextFieldName} needs an embedder.", nameof(options));
        }
    }

    private static async Task<EmbeddingReadResult> ReadCoreAsync(TextReader reader, string fileName, EmbeddingReadOptions options,
        Action<LineError> onError, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(onError);

        var sink = new VectorSink(fileName, options.TextFieldName, onError);
        var storedModels = new List<string?>();
        var row = new List<double>();

        // Lines waiting for the embedder, with the vectors of the file read since the first of them, so that
        // the set keeps the file's order.
        var waiting = new List<(long Line, double[]? Vector)>();
        var texts = new List<string>();
        IEmbeddingGenerator<string, Embedding<float>>? embedder = null;
        var embedded = 0;
        string? modelId = null;

        long number = 0;
        long bytesRead = 0;
        var taken = 0;
        var measure = options.Progress is not null && length is not null;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (measure)
            {
                // The stream's position moves a buffer at a time; the lines' own bytes give a smooth share of the file.
                bytesRead += Encoding.UTF8.GetByteCount(line) + 1;
            }

            if ((number & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            row.Clear();
            if (ParseLine(line, row, options, out var text, out var storedModel) is { } problem)
            {
                onError(new LineError(fileName, number, problem));
                continue;
            }

            if (text is null && !storedModels.Contains(storedModel))
            {
                storedModels.Add(storedModel);
            }

            if (text is not null)
            {
                waiting.Add((number, null));
                texts.Add(text);
                if (texts.Count >= options.BatchSize)
                {
                    await EmbedWaitingAsync().ConfigureAwait(false);
                }
            }
            else if (waiting.Count == 0)
            {
                sink.Add(CollectionsMarshal.AsSpan(row), number, computed: false);
            }
            else
            {
                waiting.Add((number, [.. row]));
            }

            if (++taken == options.Limit)
            {
                break;
            }
        }

        if (measure && taken != options.Limit)
        {
            // The whole file was read, whatever its line endings.
            bytesRead = length!.Value;
        }

        await EmbedWaitingAsync().ConfigureAwait(false);
        if (sink.Stored == 0)
        {
            storedModels.Clear();
        }

        return new EmbeddingReadResult(sink.ToSet(), sink.Stored, sink.Computed, modelId, storedModels);

        async Task EmbedWaitingAsync()
        {
            if (texts.Count == 0)
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            embedder ??= options.Embedder!() ?? throw new InvalidOperationException("The embedder factory returned null.");
            var embeddings = await embedder.GenerateAsync(texts, options: null, cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != texts.Count)
            {
                throw new InvalidOperationException($"The embedder returned {embeddings.Count} embeddings for {texts.Count} texts.");
            }

            modelId ??= embeddings[0].ModelId ?? embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
            var next = 0;
            foreach (var (line, vector) in waiting)
            {
                if (vector is not null)
                {
                    sink.Add(vector, line, computed: false);
                }
                else
                {
                    sink.Add(embeddings[next++].Vector.Span, line);
                }
            }

            embedded += texts.Count;
            waiting.Clear();
            texts.Clear();
            double? fraction = length is { } total ? Math.Min(1.0, (double)bytesRead / total) : null;
            options.Progress?.Report(new EmbeddingReadProgress(fileName, number, embedded, fraction));
        }
    }

    /// <summary>
    /// Fills <paramref name="row"/> from one line (and <paramref name="model"/> from its <c>embedding_model</c>), or
    /// sets <paramref name="text"/> to the text to embed; returns what is wrong, or null.
    /// </summary>
    private static string? ParseLine(string line, List<double> row, EmbeddingReadOptions options, out string? text, out string? model)
    {
        text = null;
        model = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            return $"not valid JSON ({ex.Message})";
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array when options.UsesStoredVectors:
                    return ParseVector(root, "[]", row);
                case JsonValueKind.Array:
                    return $"a bare array has no {options.TextFieldName} to embed; give interaction records";
                case JsonValueKind.Object:
                    var hasEmbedding = root.TryGetProperty("embedding", out var array);
                    model = root.TryGetProperty("embedding_model", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
                    if (options.Embedder is null)
                    {
                        return !hasEmbedding ? "embedding: missing"
                            : array.ValueKind != JsonValueKind.Array ? "embedding: expected an array of numbers"
                            : ParseVector(array, "embedding", row);
                    }

                    // A null embedding is no embedding: serializers write absent fields so.
                    if (options.UsesStoredVectors && hasEmbedding && array.ValueKind != JsonValueKind.Null)
                    {
                        return array.ValueKind != JsonValueKind.Array ? "embedding: expected an array of numbers" : ParseVector(array, "embedding", row);
                    }

                    return ParseText(root, options, out text);
                default:
                    return "expected {\"embedding\": [..]} or an array of numbers";
            }
        }
    }

    private static string? ParseText(JsonElement record, EmbeddingReadOptions options, out string? text)
    {
        text = null;
        var field = options.TextFieldName;
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return options.UsesStoredVectors
                ? $"embedding: missing, and no {field} to compute it from"
                : $"{field}: missing, nothing to embed";
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return $"{field}: expected a string";
        }

        var s = value.GetString();
        if (string.IsNullOrWhiteSpace(s))
        {
            return $"{field}: empty, nothing to embed";
        }

        text = s;
        return null;
    }

    private static string? ParseVector(JsonElement array, string field, List<double> row)
    {
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                return field == "[]"
                    ? $"[{index}]: expected a finite number"
                    : $"embedding[{index}]: expected a finite number";
            }

            row.Add(value);
            index++;
        }

        return index == 0 ? $"{(field == "[]" ? "array" : "embedding")}: empty" : null;
    }

    /// <summary>Collects vectors of one dimension, row-major, rejecting (with its line) one of another dimension.</summary>
    private sealed class VectorSink(string fileName, string textField, Action<LineError> onError)
    {
        private readonly List<double> _values = [];
        private int _dimensions;
        private long _dimensionsLine;

        public int Stored { get; private set; }

        public int Computed { get; private set; }

        public void Add(ReadOnlySpan<double> vector, long line, bool computed)
        {
            if (!FitsDimensions(vector.Length, line, computed))
            {
                return;
            }

            _values.AddRange(vector);
            Count(computed);
        }

        public void Add(ReadOnlySpan<float> vector, long line)
        {
            if (vector.Length == 0 || !FitsDimensions(vector.Length, line, computed: true))
            {
                if (vector.Length == 0)
                {
                    onError(new LineError(fileName, line, $"the embedder returned an empty embedding for the {textField}"));
                }

                return;
            }

            foreach (var v in vector)
            {
                if (!float.IsFinite(v))
                {
                    onError(new LineError(fileName, line, $"the embedding computed from the {textField} has a value that is not a finite number"));
                    return;
                }
            }

            foreach (var v in vector)
            {
                _values.Add(v);
            }

            Count(computed: true);
        }

        public EmbeddingSet? ToSet() => _dimensions == 0 ? null : new EmbeddingSet([.. _values], _dimensions);

        private bool FitsDimensions(int length, long line, bool computed)
        {
            if (_dimensions == 0)
            {
                _dimensions = length;
                _dimensionsLine = line;
                return true;
            }

            if (length == _dimensions)
            {
                return true;
            }

            var what = computed ? $"the embedding computed from the {textField}" : "embedding";
            onError(new LineError(fileName, line, $"{what} has {length} dimensions; expected {_dimensions} (as line {_dimensionsLine})"));
            return false;
        }

        private void Count(bool computed)
        {
            if (computed)
            {
                Computed++;
            }
            else
            {
                Stored++;
            }
        }
    }
}
