using System.ComponentModel.DataAnnotations;

namespace Vigil.Embeddings;

/// <summary>How the local all-MiniLM-L6-v2 model runs. Bound from <c>Vigil:Embeddings</c>.</summary>
public sealed class MiniLmEmbeddingGeneratorOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Embeddings";

    /// <summary>
    /// The most texts one model run takes. A call with more texts runs in batches of this size (texts of similar
    /// length together, so little padding is computed). Larger batches use the cores better and more memory. Default 32.
    /// </summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How many batches may run at once across all callers; the rest wait their turn. ONNX Runtime already spreads
    /// one run over the cores, so more than one mainly helps machines with many cores. Default 1.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Threads ONNX Runtime uses inside one run; 0 lets it choose (one per physical core). Default 0.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }
}
