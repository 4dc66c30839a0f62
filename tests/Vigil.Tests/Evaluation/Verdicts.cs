using Vigil.Records;

namespace Vigil.Tests.Evaluation;

/// <summary>Evaluation records for the verdict sums and rules: fixed relevance, coherence and safety.</summary>
internal static class Verdicts
{
    public const double Relevance = 4;
    public const double Coherence = 3.5;
    public const double Safety = 5;

    public static EvaluationRecord Of(double overall, double faithfulness, bool hallucination) => new()
    {
        TraceId = Guid.NewGuid().ToString("N"),
        JudgeModel = "judge",
        Relevance = Relevance,
        Coherence = Coherence,
        Faithfulness = faithfulness,
        Safety = Safety,
        Overall = overall,
        IsHallucination = hallucination,
    };
}
