using System.Text.Json.Serialization;

namespace Vigil.Drift;

/// <summary>Euclidean distance between the centroids of two embedding sets.</summary>
public sealed record EuclideanDriftResult
{
    /// <summary>True when the relative distance passes the warning threshold (default 0.25).</summary>
    public required bool IsDrifting { get; init; }

    /// <summary>By the relative distance: warning past 0.25, critical past 0.5 by default.</summary>
    public required DriftSeverity Severity { get; init; }

    /// <summary>‖centroid(current) − centroid(reference)‖.</summary>
    public required double Distance { get; init; }

    /// <summary>
    /// <see cref="Distance"/> / <see cref="ReferenceSpread"/>, scale-free; null when the reference has no spread (all its
    /// vectors equal), in which case any distance above 0 is critical. Without drift it is about √(1/n + 1/m) from
    /// sampling alone (0.2 for 50 against 50 vectors, 0.06 for 500 against 500).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required double? RelativeDistance { get; init; }

    /// <summary>The reference's spread: √(mean ‖x − centroid‖²) over the reference vectors.</summary>
    public required double ReferenceSpread { get; init; }
}
