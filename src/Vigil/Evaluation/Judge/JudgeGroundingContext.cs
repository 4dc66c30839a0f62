using Microsoft.Extensions.AI.Evaluation;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// The retrieved context (RAG) that <see cref="LlmJudge"/>, as an <see cref="IEvaluator"/>, judges faithfulness
/// against; pass it in <c>additionalContext</c>.
/// </summary>
public sealed class JudgeGroundingContext : EvaluationContext
{
    /// <summary>The name of this context.</summary>
    public const string ContextName = "Grounding context (Vigil LLM judge)";

    /// <summary>Creates the context.</summary>
    public JudgeGroundingContext(string groundingContext)
        : base(ContextName, groundingContext)
    {
        GroundingContext = groundingContext;
    }

    /// <summary>The context text.</summary>
    public string GroundingContext { get; }
}
