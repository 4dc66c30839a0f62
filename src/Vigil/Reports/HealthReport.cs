using System.Text.Json.Serialization;

namespace Vigil.Reports;

/// <summary>The health report of the contract (<c>GET /v1/report</c>, <c>vigil report --format json</c>). A figure without data is null.</summary>
public sealed record HealthReport
{
    /// <summary>The time range covered.</summary>
    public required ReportWindow Window { get; init; }
    /// <summary>SLO figures keyed <c>global</c>, <c>model:…</c>, <c>feature:…</c>, <c>user_tier:…</c>.</summary>
    public required IReadOnlyDictionary<string, SlaFigures> Sla { get; init; }
    /// <summary>Interactions per error category.</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }
    /// <summary>Token totals.</summary>
    public required TokenFigures Tokens { get; init; }
    /// <summary>Cost and budget.</summary>
    public required CostFigures Cost { get; init; }
    /// <summary>Response cache.</summary>
    public required CacheFigures Cache { get; init; }
    /// <summary>User satisfaction.</summary>
    public required SatisfactionFigures Satisfaction { get; init; }
    /// <summary>Judge quality.</summary>
    public required QualityFigures Quality { get; init; }
    /// <summary>Drift detectors' latest results.</summary>
    public DriftFigures Drift { get; init; } = DriftFigures.None;
    /// <summary>The incident responder's state.</summary>
    public required IncidentFigures Incident { get; init; }
    /// <summary>Alerts now pending or firing.</summary>
    public IReadOnlyList<AlertFigures> Alerts { get; init; } = [];
    /// <summary>Answers by degradation mode (beside the contract's keys).</summary>
    public IReadOnlyDictionary<string, long> Degradation { get; init; } = new Dictionary<string, long>();
}

/// <summary>The report's time range.</summary>
public sealed record ReportWindow(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>SLO figures of one dimension.</summary>
public sealed record SlaFigures(
    long Requests,
    double? SuccessRate,
    double? GoodRate,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    double? TtftP95Ms,
    double? ErrorBudgetRemainingPercent);

/// <summary>Token totals.</summary>
public sealed record TokenFigures(long Input, long Output, long Cached);

/// <summary>Cost figures (seed §4).</summary>
public sealed record CostFigures(
    decimal TotalUsd,
    decimal? PerInteractionUsd,
    IReadOnlyDictionary<string, decimal> ByModel,
    IReadOnlyDictionary<string, decimal> ByFeature,
    IReadOnlyDictionary<string, decimal> ByUserTier,
    IReadOnlyDictionary<string, decimal> TopUsers,
    BudgetFigures Budget);

/// <summary>Budget status (seed §4).</summary>
public sealed record BudgetFigures(
    decimal MonthlyBudgetUsd,
    decimal MonthTotalUsd,
    double UsagePercent,
    decimal DailyAverageUsd,
    decimal ProjectedMonthlyUsd,
    bool ProjectedOverBudget)
{
    /// <summary>The monthly budget over the hours of the month; null without a budget (beside the contract's keys).</summary>
    public decimal? HourlyBudgetUsd { get; init; }
}

/// <summary>Response cache figures.</summary>
public sealed record CacheFigures(long Hits, long Misses, double? HitRate);

/// <summary>Satisfaction figures (seed §5).</summary>
public sealed record SatisfactionFigures(
    long TotalFeedbacks,
    double? ThumbsUpRate,
    double? AvgRating,
    double? AvgCsat,
    double? CsatSatisfiedPercent,
    int? Nps,
    long Promoters,
    long Passives,
    long Detractors);

/// <summary>Quality figures from judge verdicts.</summary>
public sealed record QualityFigures(long Evaluated, double? AvgOverall, double? HallucinationRate)
{
    /// <summary>The hallucination rate over the last verdicts, by severity (seed §6); absent when no monitor runs.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HallucinationFigures? RecentHallucinations { get; init; }
}

/// <summary>The incident responder's state: its degradation mode, since when and why (null while normal from the start).</summary>
public sealed record IncidentFigures(string Mode, DateTimeOffset? Since = null, string? Reason = null)
{
    /// <summary>Normal, as from the start.</summary>
    public static IncidentFigures Normal { get; } = new("normal");
}
