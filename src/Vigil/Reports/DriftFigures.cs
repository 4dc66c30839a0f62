using System.Text.Json.Serialization;

namespace Vigil.Reports;

/// <summary>
/// The report's <c>drift</c>: quality drift per rubric dimension (<c>quality_&lt;dimension&gt;</c>, from the judge's
/// verdicts) and, where the collector watches embeddings, <c>embedding</c> with one entry per method. A detector that
/// is not running is left out.
/// </summary>
public sealed record DriftFigures
{
    /// <summary>No detector running.</summary>
    public static DriftFigures None { get; } = new();

    /// <summary>Quality drift of the relevance scores.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QualityDriftFigures? QualityRelevance { get; init; }

    /// <summary>Quality drift of the coherence scores.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QualityDriftFigures? QualityCoherence { get; init; }

    /// <summary>Quality drift of the faithfulness scores.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QualityDriftFigures? QualityFaithfulness { get; init; }

    /// <summary>Quality drift of the safety scores.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QualityDriftFigures? QualitySafety { get; init; }

    /// <summary>Quality drift of the overall scores.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QualityDriftFigures? QualityOverall { get; init; }

    /// <summary>The embedding drift watch, over its methods.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EmbeddingDriftFigures? Embedding { get; init; }

    /// <summary>The watch's cosine method.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EmbeddingMethodFigures? EmbeddingCosine { get; init; }

    /// <summary>The watch's Euclidean method.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EmbeddingMethodFigures? EmbeddingEuclidean { get; init; }

    /// <summary>The watch's MMD method.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EmbeddingMethodFigures? EmbeddingMmd { get; init; }

    /// <summary>The watch's KS method.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EmbeddingMethodFigures? EmbeddingKs { get; init; }
}
