using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;

namespace Vigil.Drift;

/// <summary>
/// How <see cref="EmbeddingFileReader"/> turns lines into vectors. By default a line must carry its vector
/// (<c>{"embedding": [..]}</c> or a bare array). With an <see cref="Embedder"/>, an interaction record without an
/// embedding gets one computed from its <see cref="TextField"/>.
/// </summary>
public sealed class EmbeddingReadOptions
{
    /// <summary>Vectors as they are in the file; nothing is computed.</summary>
    public static EmbeddingReadOptions StoredOnly { get; } = new();

    /// <summary>
    /// Gives the generator that embeds texts; called once, at the first text to embed, so that a file of vectors
    /// never loads a model. The caller owns what it returns. Null: lines without a vector are rejected.
    /// </summary>
    public Func<IEmbeddingGenerator<string, Embedding<float>>>? Embedder { get; init; }

    /// <summary>The record's text to embed. Default <see cref="EmbeddingTextField.Query"/>.</summary>
    public EmbeddingTextField TextField { get; init; } = EmbeddingTextField.Query;

    /// <summary>
    /// Embed every record's text, ignoring the vectors in the file (so that all vectors come from one model).
    /// Implied by <see cref="EmbeddingTextField.Response"/>, since a record's <c>embedding</c> is of its query. Default false.
    /// </summary>
    public bool Recompute { get; init; }

    /// <summary>Read only the first this many vectors (lines that give one); null reads them all. Default null.</summary>
    [Range(1, int.MaxValue)]
    public int? Limit { get; init; }

    /// <summary>Texts handed to the embedder at once. Default 32.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; init; } = 32;

    /// <summary>Told after each batch of texts is embedded. Called on the reading thread.</summary>
    public IProgress<EmbeddingReadProgress>? Progress { get; init; }

    /// <summary>Whether a vector in the file may be used as it is.</summary>
    internal bool UsesStoredVectors => !Recompute && TextField == EmbeddingTextField.Query;

    /// <summary>The JSON name of <see cref="TextField"/>.</summary>
    internal string TextFieldName => TextField == EmbeddingTextField.Response ? "response" : "query";
}
