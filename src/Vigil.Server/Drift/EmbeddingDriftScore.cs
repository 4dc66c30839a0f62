using Vigil.Drift;

namespace Vigil.Server.Drift;

/// <summary>
/// One scale for every drift method, for <c>llm_drift_score{drift_type="embedding"|"topic"}</c> and the report's
/// <c>drift_score</c>: below 1 no drift, from 1 a warning, from 2 critical, at most <see cref="Max"/>.
/// A distance scales linearly: 1 at its warning threshold, 2 at its critical one, on at the same slope above.
/// A p-value scales as (1 − p)/(1 − alpha) up to alpha, then 1 + log10(alpha/p): 2 at alpha/10, 3 at alpha/100.
/// The score always falls in its method's severity band (an MMD p-value at its floor of 1/(B + 1), which the method
/// calls critical, scores 2).
/// </summary>
internal static class EmbeddingDriftScore
{
    /// <summary>The highest score.</summary>
    public const double Max = 10;

    /// <summary>The score of cosine distance.</summary>
    public static double Of(CosineDriftResult result, DriftOptions options) =>
        InBand(FromDistance(result.Distance, options.CosineWarning, options.CosineCritical), result.Severity);

    /// <summary>The score of the Euclidean distance relative to the reference's spread.</summary>
    public static double Of(EuclideanDriftResult result, DriftOptions options) =>
        InBand(result.RelativeDistance is { } relative ? FromDistance(relative, options.EuclideanWarning, options.EuclideanCritical) : 0, result.Severity);

    /// <summary>The score of the MMD permutation test's p-value.</summary>
    public static double Of(MmdDriftResult result) => InBand(FromPValue(result.PValue, result.Alpha), result.Severity);

    /// <summary>The score of the smallest corrected KS p-value.</summary>
    public static double Of(KsDriftResult result) =>
        InBand(FromPValue(result.AdjustedPValues.Count > 0 ? result.AdjustedPValues.Min() : 1, result.Alpha), result.Severity);

    /// <summary>The score of a distance with its two thresholds.</summary>
    public static double FromDistance(double value, double warning, double critical)
    {
        if (value <= warning)
        {
            return warning > 0 ? value / warning : 0;
        }

        var step = critical - warning;
        return step > 0 ? Math.Min(Max, 1 + ((value - warning) / step)) : Max;
    }

    /// <summary>The score of a p-value at level <paramref name="alpha"/>.</summary>
    public static double FromPValue(double p, double alpha)
    {
        p = Math.Clamp(p, 1e-300, 1);
        return p >= alpha ? (1 - p) / (1 - alpha) : Math.Min(Max, 1 + Math.Log10(alpha / p));
    }

    private static double InBand(double score, DriftSeverity severity) => severity switch
    {
        DriftSeverity.Critical => Math.Clamp(score, 2, Max),
        DriftSeverity.Warning => Math.Clamp(score, 1, Math.BitDecrement(2.0)),
        _ => Math.Clamp(score, 0, Math.BitDecrement(1.0)),
    };
}
