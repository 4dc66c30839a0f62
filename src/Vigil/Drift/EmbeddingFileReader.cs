using System.Text;
using System.Text.Json;
using Vigil.Reports;

namespace Vigil.Drift;

/// <summary>
/// Reads a file of embeddings for <c>vigil drift</c>: JSON Lines of <c>{"embedding": [..]}</c> (other fields ignored)
/// or of bare arrays <c>[..]</c>. Blank lines are skipped. Every vector must have the dimension of the first good one;
/// a bad line (not JSON, no embedding, a value that is not a finite number, an empty vector, another dimension) is
/// reported with its file and line and skipped, and the lines around it are kept.
/// </summary>
public static class EmbeddingFileReader
{
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
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(onError);

        var values = new List<double>();
        var row = new List<double>();
        var dimensions = 0;
        long dimensionsLine = 0;
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if ((number & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            row.Clear();
            if (ParseLine(line, row) is { } problem)
            {
                onError(new LineError(fileName, number, problem));
                continue;
            }

            if (dimensions == 0)
            {
                dimensions = row.Count;
                dimensionsLine = number;
            }
            else if (row.Count != dimensions)
            {
                onError(new LineError(fileName, number,
                    $"embedding has {row.Count} dimensions; expected {dimensions} (as line {dimensionsLine})"));
                continue;
            }

            values.AddRange(row);
        }

        return dimensions == 0 ? null : new EmbeddingSet([.. values], dimensions);
    }

    /// <summary>Fills <paramref name="row"/> from one line; returns what is wrong, or null.</summary>
    private static string? ParseLine(string line, List<double> row)
    {
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
            string field;
            JsonElement array;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    field = "[]";
                    array = root;
                    break;
                case JsonValueKind.Object:
                    if (!root.TryGetProperty("embedding", out array))
                    {
                        return "embedding: missing";
                    }

                    if (array.ValueKind != JsonValueKind.Array)
                    {
                        return "embedding: expected an array of numbers";
                    }

                    field = "embedding";
                    break;
                default:
                    return "expected {\"embedding\": [..]} or an array of numbers";
            }

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
    }
}
