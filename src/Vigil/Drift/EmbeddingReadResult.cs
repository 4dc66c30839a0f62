namespace Vigil.Drift;

/// <summary>What <see cref="EmbeddingFileReader.ReadFileAsync"/> read: the vectors and where they came from.</summary>
/// <param name="Set">The vectors in file order; null when no line gave one.</param>
/// <param name="Stored">Vectors taken as they were in the file.</param>
/// <param name="Computed">Vectors computed from the records' text by the embedder.</param>
/// <param name="ModelId">The model that computed them, when any were computed and the embedder names it.</param>
/// <param name="StoredModels">
/// The models the stored vectors name in their <c>embedding_model</c> field, each once; null stands for vectors
/// that name none. Empty when no vector was stored.
/// </param>
public sealed record EmbeddingReadResult(EmbeddingSet? Set, int Stored, int Computed, string? ModelId, IReadOnlyList<string?> StoredModels)
{
    /// <summary>
    /// Every model the vectors come from, each once: <see cref="StoredModels"/> and, when vectors were computed,
    /// <see cref="ModelId"/> (null when the embedder names none).
    /// </summary>
    public IReadOnlyList<string?> Models => Computed == 0 ? StoredModels : [.. StoredModels.Append(ModelId).Distinct()];
}
