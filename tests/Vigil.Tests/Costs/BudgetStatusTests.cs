using Vigil.Costs;

namespace Vigil.Tests.Costs;

public sealed class BudgetStatusTests
{
    [Theory]
    [InlineData(2026, 2, 14, 28)]  // February of a common year
    [InlineData(2028, 2, 14, 29)]  // leap year
    [InlineData(2026, 11, 28, 30)]
    [InlineData(2026, 12, 10, 31)]
    public void At_ProjectsWithTheRealDaysOfTheMonth(int year, int month, int day, int daysInMonth)
    {
        var now = new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero);

        var status = BudgetStatus.At(now, monthTotalUsd: 1400m, monthlyBudgetUsd: 5000m);

        Assert.Equal(1400m / day, status.DailyAverageUsd);
        Assert.Equal(1400m / day * daysInMonth, status.ProjectedMonthlyUsd);
        Assert.Equal(28.0, status.UsagePercent, 9);
        Assert.Equal(status.ProjectedMonthlyUsd > 5000m, status.ProjectedOverBudget);
    }

    [Fact]
    public void At_OverspendingPace_IsProjectedOverBudget()
    {
        var status = BudgetStatus.At(new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero), 2000m, 5000m);

        Assert.Equal(6000m, status.ProjectedMonthlyUsd);
        Assert.True(status.ProjectedOverBudget);
    }

    [Theory]
    [InlineData(2026, 2, 28)]   // 672 hours
    [InlineData(2028, 2, 29)]   // 696 hours
    [InlineData(2026, 11, 30)]  // 720 hours
    [InlineData(2026, 12, 31)]  // 744 hours
    public void At_Budget_HourlyBudgetIsTheBudgetOverTheHoursOfTheMonth(int year, int month, int daysInMonth)
    {
        var status = BudgetStatus.At(new DateTimeOffset(year, month, 3, 23, 59, 0, TimeSpan.Zero), 10m, 5000m);

        Assert.Equal(5000m / (daysInMonth * 24), status.HourlyBudgetUsd);
    }

    [Fact]
    public void At_NoBudget_HourlyBudgetIsNull()
    {
        var status = BudgetStatus.At(new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero), 10m, 0m);

        Assert.Null(status.HourlyBudgetUsd);
    }
}
