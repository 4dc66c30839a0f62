namespace Vigil.Drift;

/// <summary>Drift as the distance between the centroids of two embedding sets: cosine (the seed's default) and Euclidean.</summary>
public static class CentroidDrift
{
    /// <summary>
    /// 1 − cosine similarity of the centroids. When a centroid is the zero vector the similarity is undefined; it is
    /// taken as 1 when both are zero (same centroid) and 0 when only one is.
    /// </summary>
    public static CosineDriftResult Cosine(EmbeddingSet reference, EmbeddingSet current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        EmbeddingDriftAnalyzer.CheckComparable(reference, current, minimum: 1);

        var a = reference.Centroid();
        var b = current.Centroid();
        double dot = 0, normA = 0, normB = 0;
        for (var d = 0; d < a.Length; d++)
        {
            dot += a[d] * b[d];
            normA += a[d] * a[d];
            normB += b[d] * b[d];
        }

        double similarity;
        if (normA == 0 || normB == 0)
        {
            similarity = normA == normB ? 1.0 : 0.0;
        }
        else
        {
            similarity = Math.Clamp(dot / (Math.Sqrt(normA) * Math.Sqrt(normB)), -1.0, 1.0);
        }

        var distance = 1 - similarity;
        var severity = DriftSeverityRules.FromDistance(distance, options.CosineWarning, options.CosineCritical);
        return new CosineDriftResult
        {
            IsDrifting = severity != DriftSeverity.Normal,
            Severity = severity,
            Distance = distance,
            Similarity = similarity,
        };
    }

    /// <summary>
    /// ‖centroid(current) − centroid(reference)‖, judged by its ratio to the reference's spread
    /// √(mean ‖x − centroid(reference)‖²), so the thresholds do not depend on the embedding model's scale.
    /// </summary>
    public static EuclideanDriftResult Euclidean(EmbeddingSet reference, EmbeddingSet current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        EmbeddingDriftAnalyzer.CheckComparable(reference, current, minimum: 1);

        var a = reference.Centroid();
        var b = current.Centroid();
        var squared = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            var diff = b[d] - a[d];
            squared += diff * diff;
        }

        var distance = Math.Sqrt(squared);
        var spreadSquared = 0.0;
        for (var i = 0; i < reference.Count; i++)
        {
            spreadSquared += Pairwise.SquaredDistance(reference[i], a);
        }

        var spread = Math.Sqrt(spreadSquared / reference.Count);
        double? relative = spread > 0 ? distance / spread : null;
        var severity = relative is { } r
            ? DriftSeverityRules.FromDistance(r, options.EuclideanWarning, options.EuclideanCritical)
            : distance > 0 ? DriftSeverity.Critical : DriftSeverity.Normal;
        return new EuclideanDriftResult
        {
            IsDrifting = severity != DriftSeverity.Normal,
            Severity = severity,
            Distance = distance,
            RelativeDistance = relative,
            ReferenceSpread = spread,
        };
    }
}
