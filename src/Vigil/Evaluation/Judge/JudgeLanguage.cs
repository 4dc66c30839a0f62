namespace Vigil.Evaluation.Judge;

/// <summary>The language of the judge's prompt.</summary>
public enum JudgeLanguage
{
    /// <summary>English (the default).</summary>
    English,

    /// <summary>Chinese: the seed's own template (§6).</summary>
    Chinese,
}
