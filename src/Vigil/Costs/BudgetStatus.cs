namespace Vigil.Costs;

/// <summary>The seed's budget status (§4 <c>get_budget_status</c>), with the real number of days in the month.</summary>
/// <param name="MonthlyBudgetUsd">The configured monthly budget.</param>
/// <param name="MonthTotalUsd">Spent so far this month.</param>
/// <param name="UsagePercent">Spent as a percentage of the budget.</param>
/// <param name="DailyAverageUsd">Spent per elapsed day of the month (today counts as a day).</param>
/// <param name="ProjectedMonthlyUsd">The daily average times the days in the month.</param>
/// <param name="ProjectedOverBudget">True when the projection exceeds the budget.</param>
public sealed record BudgetStatus(
    decimal MonthlyBudgetUsd,
    decimal MonthTotalUsd,
    double UsagePercent,
    decimal DailyAverageUsd,
    decimal ProjectedMonthlyUsd,
    bool ProjectedOverBudget)
{
    /// <summary>
    /// The monthly budget spread evenly over the hours of the month (the budget line of an hourly cost chart); null
    /// without a budget (zero).
    /// </summary>
    public decimal? HourlyBudgetUsd { get; init; }

    /// <summary>The status at <paramref name="now"/> given what was spent in its month (UTC).</summary>
    public static BudgetStatus At(DateTimeOffset now, decimal monthTotalUsd, decimal monthlyBudgetUsd)
    {
        var utc = now.UtcDateTime;
        var daysElapsed = Math.Max(utc.Day, 1);
        var daysInMonth = DateTime.DaysInMonth(utc.Year, utc.Month);
        var dailyAverage = monthTotalUsd / daysElapsed;
        var projected = dailyAverage * daysInMonth;
        var usage = monthlyBudgetUsd > 0 ? (double)(monthTotalUsd / monthlyBudgetUsd * 100m) : 0;
        return new BudgetStatus(monthlyBudgetUsd, monthTotalUsd, usage, dailyAverage, projected, projected > monthlyBudgetUsd)
        {
            HourlyBudgetUsd = monthlyBudgetUsd > 0 ? monthlyBudgetUsd / (daysInMonth * 24) : null,
        };
    }
}
