namespace Vigil.Drift;

/// <summary>What <see cref="EmbeddingFileReader.ReadFileAsync"/> read: the vectors and where they came from.</summary>
/// <param name="Set">The vectors in file order; null when no line gave one.</param>
/// <param name="Stored">Vectors taken as they were in the file.</param>
/// <param name="Computed">Vectors computed from the records' text by the embedder.</param>
/// <param name="ModelId">The model that computed them, when any were computed and the embedder names it.</param>
public sealed record EmbeddingReadResult(EmbeddingSet? Set, int Stored, int Computed, string? ModelId);
