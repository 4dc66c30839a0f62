using Vigil.Costs;
using Vigil.Slo;

namespace Vigil.Reports;

/// <summary>Turns a <see cref="SignalAggregate"/> into the contract's <see cref="HealthReport"/>.</summary>
public static class ReportBuilder
{
    /// <summary>Builds the report.</summary>
    /// <param name="aggregate">The figures.</param>
    /// <param name="window">The range they cover.</param>
    /// <param name="options">SLO and budget.</param>
    /// <param name="budgetAt">The moment the budget is judged at (its month); the window's end when null.</param>
    /// <param name="monthTotalUsd">Spent in that month; taken from the aggregate when null.</param>
    /// <param name="incident">The incident responder's state; normal when null.</param>
    public static HealthReport Build(SignalAggregate aggregate, ReportWindow window, SignalOptions options,
        DateTimeOffset? budgetAt = null, decimal? monthTotalUsd = null, IncidentFigures? incident = null)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);

        var sla = new Dictionary<string, SlaFigures>(StringComparer.Ordinal)
        {
            [SignalAggregate.GlobalKey] = Figures(aggregate.Sla.GetValueOrDefault(SignalAggregate.GlobalKey), options.SloTarget),
        };
        foreach (var (key, stats) in aggregate.Sla.Where(p => p.Key != SignalAggregate.GlobalKey && p.Value.Requests > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sla[key] = Figures(stats, options.SloTarget);
        }

        var at = budgetAt ?? window.To ?? aggregate.LastTimestamp ?? DateTimeOffset.UtcNow;
        var monthTotal = monthTotalUsd ?? aggregate.Cost.ByMonth.GetValueOrDefault(CostLedger.MonthKey(at));
        var budget = BudgetStatus.At(at, monthTotal, options.MonthlyBudgetUsd);
        var cost = aggregate.Cost;
        var requests = aggregate.Sla.GetValueOrDefault(SignalAggregate.GlobalKey)?.Requests ?? 0;
        var cacheTotal = aggregate.CacheHits + aggregate.CacheMisses;
        var satisfaction = aggregate.Satisfaction;

        return new HealthReport
        {
            Window = window,
            Sla = sla,
            Errors = NonZero(aggregate.Errors),
            Tokens = new TokenFigures(aggregate.InputTokens, aggregate.OutputTokens, aggregate.CachedTokens),
            Cost = new CostFigures(
                Round(cost.TotalUsd),
                requests > 0 ? Round(cost.TotalUsd / requests) : null,
                RoundMap(cost.ByModel),
                RoundMap(cost.ByFeature),
                RoundMap(cost.ByUserTier),
                RoundMap(Largest(cost.Users(), options.TopUsers)),
                new BudgetFigures(budget.MonthlyBudgetUsd, Round(budget.MonthTotalUsd), Math.Round(budget.UsagePercent, 4),
                    Round(budget.DailyAverageUsd), Round(budget.ProjectedMonthlyUsd), budget.ProjectedOverBudget)
                {
                    HourlyBudgetUsd = budget.HourlyBudgetUsd is { } hourly ? Round(hourly) : null,
                }),
            Cache = new CacheFigures(aggregate.CacheHits, aggregate.CacheMisses, cacheTotal > 0 ? (double)aggregate.CacheHits / cacheTotal : null),
            Satisfaction = new SatisfactionFigures(satisfaction.Total, satisfaction.ThumbsUpRate, satisfaction.AverageRating,
                satisfaction.AverageCsat, satisfaction.CsatSatisfiedPercent, satisfaction.Nps,
                satisfaction.Promoters, satisfaction.Passives, satisfaction.Detractors),
            Quality = new QualityFigures(aggregate.Quality.Evaluated, aggregate.Quality.AverageOverall, aggregate.Quality.HallucinationRate),
            Incident = incident ?? IncidentFigures.Normal,
            Degradation = NonZero(aggregate.Degradations),
        };
    }

    /// <summary>The SLO figures of one dimension; rates and percentiles are null without requests.</summary>
    public static SlaFigures Figures(SloStats? stats, double sloTarget)
    {
        if (stats is null || stats.Requests <= 0)
        {
            return new SlaFigures(0, null, null, null, null, null, null, null);
        }

        var successRate = (double)stats.Successes / stats.Requests;
        var allowed = 1 - sloTarget;
        var spent = 1 - successRate;
        var remaining = Math.Clamp((allowed - spent) / allowed * 100, 0, 100);
        return new SlaFigures(
            stats.Requests,
            successRate,
            (double)stats.Good / stats.Requests,
            stats.LatencyMs.Quantile(0.50),
            stats.LatencyMs.Quantile(0.95),
            stats.LatencyMs.Quantile(0.99),
            stats.TtftMs.Quantile(0.95),
            remaining);
    }

    private static Dictionary<string, long> NonZero(Dictionary<string, long> map) =>
        map.Where(p => p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);

    // Largest first, then by name: the same records always print in the same order, however workers split them.
    private static Dictionary<string, decimal> RoundMap(IEnumerable<KeyValuePair<string, decimal>> map) =>
        map.Where(p => p.Value != 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => Round(p.Value), StringComparer.Ordinal);

    // The n largest non-zero sums, in RoundMap's order, in one pass: a file's users are many, and sorting them all
    // (through LINQ's generic code, not precompiled for decimal values) took a tenth of a second per million lines.
    private static List<KeyValuePair<string, decimal>> Largest(IEnumerable<KeyValuePair<string, decimal>> map, int n)
    {
        var largest = new List<KeyValuePair<string, decimal>>(Math.Min(Math.Max(n, 0), 1024) + 1);
        if (n <= 0)
        {
            return largest;
        }

        foreach (var pair in map)
        {
            if (pair.Value == 0 || (largest.Count == n && !Before(pair, largest[^1])))
            {
                continue;
            }

            var at = largest.Count;
            while (at > 0 && Before(pair, largest[at - 1]))
            {
                at--;
            }

            largest.Insert(at, pair);
            if (largest.Count > n)
            {
                largest.RemoveAt(n);
            }
        }

        return largest;

        static bool Before(KeyValuePair<string, decimal> a, KeyValuePair<string, decimal> b) =>
            a.Value > b.Value || (a.Value == b.Value && string.CompareOrdinal(a.Key, b.Key) < 0);
    }

    // Costs keep ten decimals: exact for per-token prices, short enough to read.
    private static decimal Round(decimal usd) => Math.Round(usd, 10, MidpointRounding.ToEven);
}
