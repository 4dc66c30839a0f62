using System.Text.Json;

namespace Vigil.Drift;

/// <summary>
/// Writes a set as the contract's file of embeddings, one <c>{"embedding": [..]}</c> a line (with
/// <c>"embedding_model"</c> when the model is known), so that a computed reference can be pinned and read back
/// (by <see cref="EmbeddingFileReader"/>) to the same values.
/// </summary>
public static class EmbeddingFileWriter
{
    /// <summary>
    /// Writes <paramref name="set"/> to <paramref name="path"/>, through a temporary file beside it, so that an
    /// interrupted write never leaves a half file under the name.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteFile(string path, EmbeddingSet set, string? modelId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(set);
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(stream, set, modelId, cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="set"/> to <paramref name="stream"/> as JSON Lines, naming <paramref name="modelId"/> on each line when given.</summary>
    public static void Write(Stream stream, EmbeddingSet set, string? modelId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(set);
        using var writer = new Utf8JsonWriter(stream);
        for (var i = 0; i < set.Count; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            writer.WriteStartObject();
            writer.WriteStartArray("embedding");
            foreach (var value in set[i])
            {
                // Shortest round-trip form: reading the file back gives these exact doubles.
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
            if (modelId is not null)
            {
                writer.WriteString("embedding_model", modelId);
            }

            writer.WriteEndObject();
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset();
        }

        writer.Flush();
    }
}
