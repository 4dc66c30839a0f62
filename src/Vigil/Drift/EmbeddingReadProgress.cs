namespace Vigil.Drift;

/// <summary>How far reading a file that needs embeddings computed has come, reported after each batch of texts.</summary>
/// <param name="File">The file being read.</param>
/// <param name="Line">The last line read.</param>
/// <param name="Embedded">Texts embedded so far in this file.</param>
/// <param name="Fraction">The share of the file read, 0..1, when known.</param>
public readonly record struct EmbeddingReadProgress(string File, long Line, int Embedded, double? Fraction);
