using System.Text.Json.Nodes;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>Two reports taken moments apart, made comparable.</summary>
public static class ReportComparison
{
    /// <summary>
    /// Removes <c>cost.budget</c> from <paramref name="reports"/> when a UTC midnight has passed since <paramref name="day"/>:
    /// the budget is judged on the current day (daily average, projection, maybe the month), the rest is not.
    /// </summary>
    public static void DropBudgetIfTheDayChanged(DateTime day, params JsonObject[] reports)
    {
        if (DateTime.UtcNow.Date == day.Date)
        {
            return;
        }

        foreach (var report in reports)
        {
            report["cost"]!.AsObject().Remove("budget");
        }
    }
}
