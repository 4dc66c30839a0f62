using System.ComponentModel.DataAnnotations;

namespace Vigil.Evaluation.Online;

/// <summary>The online judge of the collector: what it samples and how much work it may hold.</summary>
public sealed class OnlineEvaluationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:OnlineEvaluation";

    /// <summary>Share of interactions judged (deterministic by trace_id), 0 to 1. Default 0.05.</summary>
    [Range(0.0, 1.0)]
    public double SampleRate { get; set; } = 0.05;

    /// <summary>Always judge an interaction a user disliked (👎, low rating/CSAT, NPS detractor). Default true.</summary>
    public bool EvaluateDisliked { get; set; } = true;

    /// <summary>Interactions waiting for the judge at most; past it new ones are dropped and counted. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Judge calls at once. Default 2.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 2;
}
