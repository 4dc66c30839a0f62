namespace Vigil.Evaluation.Quality;

/// <summary>The hallucinations among the last verdicts (<see cref="HallucinationRateMonitor"/>). Rates are 0..1, null without verdicts.</summary>
/// <param name="Total">Verdicts in the window.</param>
/// <param name="Low">Hallucinations of low severity.</param>
/// <param name="Medium">Hallucinations of medium severity.</param>
/// <param name="High">Hallucinations of high severity.</param>
public sealed record HallucinationRate(int Total, int Low, int Medium, int High)
{
    /// <summary>Hallucinations of any severity.</summary>
    public int Hallucinations => Low + Medium + High;

    /// <summary>Share of the verdicts that found a hallucination.</summary>
    public double? Rate => Share(Hallucinations);

    /// <summary>Share of the verdicts that found a low-severity hallucination.</summary>
    public double? LowRate => Share(Low);

    /// <summary>Share of the verdicts that found a medium-severity hallucination.</summary>
    public double? MediumRate => Share(Medium);

    /// <summary>Share of the verdicts that found a high-severity hallucination.</summary>
    public double? HighRate => Share(High);

    /// <summary>The hallucinations of <paramref name="severity"/>.</summary>
    public int Count(HallucinationSeverity severity) => severity switch
    {
        HallucinationSeverity.Low => Low,
        HallucinationSeverity.Medium => Medium,
        HallucinationSeverity.High => High,
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "not a hallucination severity"),
    };

    private double? Share(int count) => Total > 0 ? (double)count / Total : null;
}
