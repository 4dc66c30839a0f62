using System.Globalization;
using Vigil.Alerting.Engine;

namespace Vigil.Alerting;

// The SLO burn-rate rules (the SRE workbook's multi-window, multi-burn-rate alerts, as Sloth and Pyrra write them):
// an availability SLO of 99.5 % (SignalOptions.SloTarget's default) and a latency SLO of 95 % of calls under 5 s.
public static partial class AlertRuleCatalog
{
    /// <summary>The availability SLO: 99.5 % of calls succeed (<c>SignalOptions.SloTarget</c>'s default).</summary>
    public const double AvailabilityObjective = 0.995;

    /// <summary>The availability SLO's error budget: 0.5 % of calls.</summary>
    public const double AvailabilityErrorBudget = 0.005;

    /// <summary>The latency SLO: 95 % of calls take under <see cref="LatencyObjectiveSeconds"/>.</summary>
    public const double LatencyObjective = 0.95;

    /// <summary>The latency SLO's error budget: 5 % of calls may be slower.</summary>
    public const double LatencyErrorBudget = 0.05;

    /// <summary>The latency SLO's bound, a bucket of <c>llm_request_duration_seconds</c>.</summary>
    public const double LatencyObjectiveSeconds = 5;

    /// <summary>The SLO recording rules' group.</summary>
    public const string SloRecordingGroup = "llm_slo_recording";

    /// <summary>The SLO alerts' group.</summary>
    public const string SloGroup = "llm_slo";

    /// <summary>The windows the error ratios are recorded over.</summary>
    public static IReadOnlyList<TimeSpan> SloWindows { get; } =
        [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(3)];

    private const string AvailabilityRatio = "llm:availability_error_ratio:rate";
    private const string LatencyRatio = "llm:latency_slow_ratio:rate";

    // Prometheus 3 writes the bucket's le as "5.0", our exporter and Prometheus 2 as "5": match both.
    private const string LatencyBucket = "llm_request_duration_seconds_bucket{le=~\"5(\\\\.0)?\"}";

    private static RecordingRule[] SloRecordingCatalog() =>
    [
        .. SloWindows.Select(window => new RecordingRule(
            AvailabilityRatio + Promql(window), SloRecordingGroup,
            $"(sum(rate(llm_requests_total{{status!=\"success\"}}[{Promql(window)}])) or vector(0))\n  / (sum(rate(llm_requests_total[{Promql(window)}])) > 0)",
            s => s.ErrorRatio(AlertSignals.SuccessfulRequests, AlertSignals.Requests, window))),
        .. SloWindows.Select(window => new RecordingRule(
            LatencyRatio + Promql(window), SloRecordingGroup,
            $"1 - (sum(rate({LatencyBucket}[{Promql(window)}])) or vector(0))\n  / (sum(rate(llm_request_duration_seconds_count[{Promql(window)}])) > 0)",
            s => s.ErrorRatio(AlertSignals.RequestDuration.Bucket(LatencyObjectiveSeconds), AlertSignals.RequestDuration.Count, window))),
    ];

    private static AlertRule[] SloCatalog() =>
    [
        BurnRule(
            "LLMAvailabilityBudgetBurnFast", AvailabilityRatio, AvailabilityErrorBudget, Fast, TimeSpan.FromMinutes(2), AlertSeverity.Critical,
            "LLM availability error budget burning fast",
            "Error ratio {{ $value | humanizePercentage }}: the 30-day error budget of the 99.5% availability SLO burns at 14.4 times (over 1 hour and 5 minutes) or 6 times (over 6 hours and 30 minutes) the sustainable rate. At this pace it is gone within 2 to 5 days."),
        BurnRule(
            "LLMAvailabilityBudgetBurnSlow", AvailabilityRatio, AvailabilityErrorBudget, Slow, TimeSpan.FromMinutes(15), AlertSeverity.Warning,
            "LLM availability error budget burning",
            "Error ratio {{ $value | humanizePercentage }}: the 30-day error budget of the 99.5% availability SLO burns at 3 times (over 1 day and 2 hours) or once (over 3 days and 6 hours) the sustainable rate."),
        BurnRule(
            "LLMLatencyBudgetBurnFast", LatencyRatio, LatencyErrorBudget, Fast, TimeSpan.FromMinutes(2), AlertSeverity.Critical,
            "LLM latency error budget burning fast",
            "Share of calls slower than 5 seconds {{ $value | humanizePercentage }}: the 30-day error budget of the latency SLO (95% under 5 s) burns at 14.4 times (over 1 hour and 5 minutes) or 6 times (over 6 hours and 30 minutes) the sustainable rate."),
        BurnRule(
            "LLMLatencyBudgetBurnSlow", LatencyRatio, LatencyErrorBudget, Slow, TimeSpan.FromMinutes(15), AlertSeverity.Warning,
            "LLM latency error budget burning",
            "Share of calls slower than 5 seconds {{ $value | humanizePercentage }}: the 30-day error budget of the latency SLO (95% under 5 s) burns at 3 times (over 1 day and 2 hours) or once (over 3 days and 6 hours) the sustainable rate."),
    ];

    // The workbook's pairs: (burn factor, long window, short window); an alert holds when either pair holds.
    private static readonly (double Factor, TimeSpan Long, TimeSpan Short)[] Fast =
        [(14.4, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)), (6, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30))];

    private static readonly (double Factor, TimeSpan Long, TimeSpan Short)[] Slow =
        [(3, TimeSpan.FromDays(1), TimeSpan.FromHours(2)), (1, TimeSpan.FromDays(3), TimeSpan.FromHours(6))];

    private static AlertRule BurnRule(
        string name, string ratio, double budget, (double Factor, TimeSpan Long, TimeSpan Short)[] pairs, TimeSpan hold,
        AlertSeverity severity, string summary, string description)
    {
        var budgetText = budget.ToString(CultureInfo.InvariantCulture);
        string Pair((double Factor, TimeSpan Long, TimeSpan Short) p)
        {
            var limit = $"({p.Factor.ToString(CultureInfo.InvariantCulture)} * {budgetText})";
            return $"(\n  {ratio}{Promql(p.Long)} > {limit}\n  and\n  {ratio}{Promql(p.Short)} > {limit}\n)";
        }

        var recorded = Recorded(ratio);
        AlertVector Holds(SignalView s, (double Factor, TimeSpan Long, TimeSpan Short) p)
        {
            var limit = p.Factor * budget;
            return AlertVector.Of(recorded[p.Long](s)).Above(limit).And(AlertVector.Of(recorded[p.Short](s)).Above(limit));
        }

        return new AlertRule(
            name, SloGroup,
            string.Join("\nor\n", pairs.Select(Pair)),
            s => pairs.Aggregate(AlertVector.Empty, (vector, pair) => vector.Or(Holds(s, pair))),
            pairs[0].Factor, hold, severity, summary, description);
    }

    // The C# value of each recorded window of one ratio: the alerts read the recording rules, as in PromQL.
    private static Dictionary<TimeSpan, Func<SignalView, double?>> Recorded(string ratio) =>
        Catalog.Recording.Where(r => r.Name.StartsWith(ratio, StringComparison.Ordinal))
            .ToDictionary(r => SloWindows.Single(w => r.Name == ratio + Promql(w)), r => r.Value);

    private static string Promql(TimeSpan window) => YamlText.Duration(window) switch
    {
        "24h" => "1d",
        "72h" => "3d",
        var text => text,
    };
}
