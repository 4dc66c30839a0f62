using System.Globalization;
using Vigil.Evaluation.Judge;

namespace Vigil.Cli.Commands;

/// <summary>
/// What <c>vigil evaluate</c> prints: the seed's batch summary (§6) of the verdicts on the input's interactions,
/// those of this run and those an earlier run already wrote to the output, with the run's own figures beside it.
/// </summary>
internal sealed record EvaluateSummary
{
    public required string JudgeModel { get; init; }
    /// <summary>Distinct interactions (trace ids) in the input's valid lines.</summary>
    public required long Interactions { get; init; }
    /// <summary>Verdicts on the input's interactions now in the output: <see cref="EvaluatedNow"/> + <see cref="Resumed"/>.</summary>
    public required long TotalEvaluated { get; init; }
    public required long EvaluatedNow { get; init; }
    /// <summary>Interactions skipped because the output already had their verdict.</summary>
    public required long Resumed { get; init; }
    public required double? AvgRelevance { get; init; }
    public required double? AvgCoherence { get; init; }
    public required double? AvgFaithfulness { get; init; }
    public required double? AvgSafety { get; init; }
    public required double? AvgOverall { get; init; }
    /// <summary>Share of verdicts with a hallucination, 0..1.</summary>
    public required double? HallucinationRate { get; init; }
    /// <summary>Verdicts with overall ≤ 2.</summary>
    public required long LowQualityCount { get; init; }
    /// <summary>Verdicts with overall ≥ 4.</summary>
    public required long HighQualityCount { get; init; }
    public required long JudgeErrors { get; init; }
    public required IReadOnlyDictionary<string, long> JudgeErrorsByReason { get; init; }
    /// <summary>Interactions without a response: nothing to judge.</summary>
    public required long SkippedNoResponse { get; init; }
    /// <summary>Interactions not judged because the run stopped early (fatal judge error, cancellation).</summary>
    public required long NotJudged { get; init; }
    /// <summary>Input lines that are not interaction records.</summary>
    public required long RejectedLines { get; init; }

    public static EvaluateSummary From(JudgeBatchSummary verdicts, string judgeModel, long interactions,
        long evaluatedNow, long resumed, long skippedNoResponse, long notJudged, long rejectedLines) => new()
    {
        JudgeModel = judgeModel,
        Interactions = interactions,
        TotalEvaluated = verdicts.Evaluated,
        EvaluatedNow = evaluatedNow,
        Resumed = resumed,
        AvgRelevance = verdicts.Average(JudgeDimensions.Relevance),
        AvgCoherence = verdicts.Average(JudgeDimensions.Coherence),
        AvgFaithfulness = verdicts.Average(JudgeDimensions.Faithfulness),
        AvgSafety = verdicts.Average(JudgeDimensions.Safety),
        AvgOverall = verdicts.Average(JudgeDimensions.Overall),
        HallucinationRate = verdicts.HallucinationRate,
        LowQualityCount = verdicts.LowQuality,
        HighQualityCount = verdicts.HighQuality,
        JudgeErrors = verdicts.Errors,
        JudgeErrorsByReason = verdicts.ErrorsByReason,
        SkippedNoResponse = skippedNoResponse,
        NotJudged = notJudged,
        RejectedLines = rejectedLines,
    };

    public void WriteTable(TextWriter writer)
    {
        static string Score(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";
        writer.WriteLine($"judge model          {JudgeModel}");
        writer.WriteLine($"interactions         {Interactions}");
        writer.WriteLine($"evaluated            {TotalEvaluated} ({EvaluatedNow} now, {Resumed} already in the output)");
        writer.WriteLine($"avg relevance        {Score(AvgRelevance)}");
        writer.WriteLine($"avg coherence        {Score(AvgCoherence)}");
        writer.WriteLine($"avg faithfulness     {Score(AvgFaithfulness)}");
        writer.WriteLine($"avg safety           {Score(AvgSafety)}");
        writer.WriteLine($"avg overall          {Score(AvgOverall)}");
        writer.WriteLine($"hallucination rate   {(HallucinationRate is { } rate ? rate.ToString("0.0%", CultureInfo.InvariantCulture) : "-")}");
        writer.WriteLine($"low quality (<= 2)   {LowQualityCount}");
        writer.WriteLine($"high quality (>= 4)  {HighQualityCount}");
        var reasons = JudgeErrorsByReason.Count == 0 ? string.Empty : " (" + string.Join(", ", JudgeErrorsByReason.Select(p => $"{p.Key} {p.Value}")) + ")";
        writer.WriteLine($"judge errors         {JudgeErrors}{reasons}");
        writer.WriteLine($"no response          {SkippedNoResponse}");
        if (NotJudged > 0)
        {
            writer.WriteLine($"not judged (stopped) {NotJudged}");
        }

        writer.WriteLine($"rejected lines       {RejectedLines}");
    }
}
