using System.Text.Json.Serialization;
using Vigil.Drift;

namespace Vigil.Reports;

/// <summary>The embedding drift watch over its methods: the verdict of its last round, its sets and what it dropped.</summary>
public sealed record EmbeddingDriftFigures
{
    /// <summary>True when the last round drifted on any method.</summary>
    public required bool IsDrifting { get; init; }

    /// <summary>The worst severity of the last round's methods.</summary>
    public required DriftSeverity Severity { get; init; }

    /// <summary>The last round's <c>llm_drift_score</c>: the highest method score; null before the first round.</summary>
    public double? DriftScore { get; init; }

    /// <summary><c>embedding</c> for the records' vectors, <c>topic</c> for the local model's.</summary>
    public required string DriftType { get; init; }

    /// <summary>True once a round ran.</summary>
    public required bool Ready { get; init; }

    /// <summary>Where vectors come from: <c>records</c>, <c>local_model</c>, or null before the first.</summary>
    public string? Source { get; init; }

    /// <summary>The local model's id, when it embeds.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary><c>pinned</c> (from a file) or <c>first_seen</c>.</summary>
    public required string Reference { get; init; }

    /// <summary>Vectors in the reference set.</summary>
    public required int ReferenceCount { get; init; }

    /// <summary>The reference set's size when full.</summary>
    public required int ReferenceSize { get; init; }

    /// <summary>Vectors in the current set.</summary>
    public required int CurrentCount { get; init; }

    /// <summary>The current set's size when full.</summary>
    public required int CurrentSize { get; init; }

    /// <summary>The vectors' dimension, once known.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Vectors taken in so far.</summary>
    public required long VectorsSeen { get; init; }

    /// <summary>Query texts waiting for the local model.</summary>
    public required int PendingTexts { get; init; }

    /// <summary>Vectors or texts dropped, by reason.</summary>
    public required IReadOnlyDictionary<string, long> Dropped { get; init; }

    /// <summary>When the last round ran.</summary>
    public DateTimeOffset? EvaluatedAt { get; init; }

    /// <summary>Seconds between rounds.</summary>
    public required double IntervalSeconds { get; init; }

    /// <summary>Why the local model is off, when it is.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
