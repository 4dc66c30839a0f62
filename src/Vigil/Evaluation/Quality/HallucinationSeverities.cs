namespace Vigil.Evaluation.Quality;

/// <summary>
/// The label values of <see cref="HallucinationSeverity"/>. The rule that gives a hallucination its severity is
/// <see cref="VerdictRules.SeverityOf(double)"/>.
/// </summary>
public static class HallucinationSeverities
{

    /// <summary>The label value: <c>low</c>, <c>medium</c> or <c>high</c>.</summary>
    public static string Label(HallucinationSeverity severity) => severity switch
    {
        HallucinationSeverity.Low => "low",
        HallucinationSeverity.Medium => "medium",
        HallucinationSeverity.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "not a hallucination severity"),
    };
}
