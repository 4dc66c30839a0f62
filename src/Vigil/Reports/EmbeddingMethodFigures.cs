using System.Text.Json.Serialization;
using Vigil.Drift;

namespace Vigil.Reports;

/// <summary>
/// One method of the embedding drift watch: the fields of <c>vigil drift --format json</c> for that method (left out
/// before its first round) and the round's context.
/// </summary>
public sealed record EmbeddingMethodFigures
{
    /// <summary>True when the method drifted in the last round.</summary>
    public required bool IsDrifting { get; init; }

    /// <summary>The method's severity in the last round.</summary>
    public required DriftSeverity Severity { get; init; }

    /// <summary>True once a round ran.</summary>
    public required bool Ready { get; init; }

    /// <summary>The method's score (below 1 no drift, 1 to 2 warning, 2 or more critical).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DriftScore { get; init; }

    /// <summary>Vectors in the reference set.</summary>
    public required int ReferenceCount { get; init; }

    /// <summary>Vectors in the current set.</summary>
    public required int CurrentCount { get; init; }

    /// <summary>Vectors taken in when the round ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VectorsSeen { get; init; }

    /// <summary>When the round ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? EvaluatedAt { get; init; }

    /// <summary>Cosine or Euclidean: the distance of the centroids.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Distance { get; init; }

    /// <summary>Cosine: the similarity of the centroids.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Similarity { get; init; }

    /// <summary>Euclidean: the distance relative to the reference's spread.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RelativeDistance { get; init; }

    /// <summary>Euclidean: the reference's spread.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ReferenceSpread { get; init; }

    /// <summary>MMD: the unbiased MMD².</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mmd2 { get; init; }

    /// <summary>MMD: the permutation test's p-value.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PValue { get; init; }

    /// <summary>MMD: the kernel bandwidth.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Bandwidth { get; init; }

    /// <summary>MMD: permutations run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Permutations { get; init; }

    /// <summary>MMD: the permutations' seed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Seed { get; init; }

    /// <summary>MMD: reference vectors sampled.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ReferenceSamples { get; init; }

    /// <summary>MMD: current vectors sampled.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CurrentSamples { get; init; }

    /// <summary>KS: the raw p-value of each dimension.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? PValues { get; init; }

    /// <summary>KS: the corrected p-values.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? AdjustedPValues { get; init; }

    /// <summary>KS: dimensions drifting after the correction.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DriftingDimensions { get; init; }

    /// <summary>KS: which dimensions drift (0-based).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? DriftingDimensionIndices { get; init; }

    /// <summary>KS: dimensions tested.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TotalDimensions { get; init; }

    /// <summary>KS: the share of drifting dimensions.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DriftRatio { get; init; }

    /// <summary>KS: the Bonferroni-adjusted smallest p-value.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MinPValue { get; init; }

    /// <summary>KS: the correction.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PValueCorrection? Correction { get; init; }

    /// <summary>MMD or KS: the level of the test.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Alpha { get; init; }

    /// <summary>A method before its first round.</summary>
    public static EmbeddingMethodFigures NotReady(int referenceCount, int currentCount) => new()
    {
        IsDrifting = false, Severity = DriftSeverity.Normal, Ready = false, ReferenceCount = referenceCount, CurrentCount = currentCount,
    };

    /// <summary>The methods of a round's report, each with the round's context; keyed <c>cosine</c>, <c>euclidean</c>, <c>mmd</c>, <c>ks</c>.</summary>
    public static Dictionary<string, EmbeddingMethodFigures> Of(DriftReport report, IReadOnlyDictionary<string, double> scores,
        int referenceCount, int currentCount, long vectorsSeen, DateTimeOffset evaluatedAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(scores);
        var round = new EmbeddingMethodFigures
        {
            IsDrifting = false, Severity = DriftSeverity.Normal, Ready = true, ReferenceCount = referenceCount, CurrentCount = currentCount,
            VectorsSeen = vectorsSeen, EvaluatedAt = evaluatedAt,
        };
        var methods = new Dictionary<string, EmbeddingMethodFigures>(StringComparer.Ordinal);
        if (report.Cosine is { } cosine)
        {
            methods["cosine"] = round with
            {
                IsDrifting = cosine.IsDrifting, Severity = cosine.Severity, DriftScore = scores.GetValueOrDefault("cosine"),
                Distance = cosine.Distance, Similarity = cosine.Similarity,
            };
        }

        if (report.Euclidean is { } euclidean)
        {
            methods["euclidean"] = round with
            {
                IsDrifting = euclidean.IsDrifting, Severity = euclidean.Severity, DriftScore = scores.GetValueOrDefault("euclidean"),
                Distance = euclidean.Distance, RelativeDistance = euclidean.RelativeDistance, ReferenceSpread = euclidean.ReferenceSpread,
            };
        }

        if (report.Mmd is { } mmd)
        {
            methods["mmd"] = round with
            {
                IsDrifting = mmd.IsDrifting, Severity = mmd.Severity, DriftScore = scores.GetValueOrDefault("mmd"),
                Mmd2 = mmd.Mmd2, PValue = mmd.PValue, Bandwidth = mmd.Bandwidth, Permutations = mmd.Permutations, Seed = mmd.Seed,
                ReferenceSamples = mmd.ReferenceSamples, CurrentSamples = mmd.CurrentSamples, Alpha = mmd.Alpha,
            };
        }

        if (report.Ks is { } ks)
        {
            methods["ks"] = round with
            {
                IsDrifting = ks.IsDrifting, Severity = ks.Severity, DriftScore = scores.GetValueOrDefault("ks"),
                PValues = ks.PValues, AdjustedPValues = ks.AdjustedPValues, DriftingDimensions = ks.DriftingDimensions,
                DriftingDimensionIndices = ks.DriftingDimensionIndices, TotalDimensions = ks.TotalDimensions, DriftRatio = ks.DriftRatio,
                MinPValue = ks.MinPValue, Correction = ks.Correction, Alpha = ks.Alpha,
            };
        }

        return methods;
    }
}
