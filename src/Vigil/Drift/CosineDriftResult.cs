namespace Vigil.Drift;

/// <summary>Cosine distance between the centroids of two embedding sets (the seed's <c>cosine_centroid</c>).</summary>
public sealed record CosineDriftResult
{
    /// <summary>True when the distance passes the warning threshold (default 0.05).</summary>
    public required bool IsDrifting { get; init; }

    /// <summary>Warning past 0.05, critical past 0.1 by default (the seed's thresholds).</summary>
    public required DriftSeverity Severity { get; init; }

    /// <summary>1 − cosine similarity of the centroids, 0..2.</summary>
    public required double Distance { get; init; }

    /// <summary>The cosine similarity of the centroids, −1..1.</summary>
    public required double Similarity { get; init; }
}
