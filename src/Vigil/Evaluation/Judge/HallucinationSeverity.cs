namespace Vigil.Evaluation.Judge;

/// <summary>The seed's severity of a hallucination (§6), from the verdict's faithfulness score.</summary>
public static class HallucinationSeverity
{
    /// <summary>Faithfulness ≤ 2.</summary>
    public const string High = "high";

    /// <summary>Faithfulness ≤ 3.</summary>
    public const string Medium = "medium";

    /// <summary>Faithfulness above 3.</summary>
    public const string Low = "low";

    /// <summary>high when faithfulness ≤ 2, medium when ≤ 3, low otherwise.</summary>
    public static string Of(double faithfulness) => faithfulness switch
    {
        <= 2 => High,
        <= 3 => Medium,
        _ => Low,
    };
}
