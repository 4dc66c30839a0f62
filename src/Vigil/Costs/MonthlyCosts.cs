namespace Vigil.Costs;

/// <summary>
/// Cost per calendar month (UTC), for the budget (seed §4): the one place a cost is booked to its month. A repeat's
/// earlier cost is taken off again (sign −1), so nothing is counted twice. Thread-safe.
/// </summary>
public sealed class MonthlyCosts
{
    private readonly Dictionary<int, decimal> _byMonth = [];
    private readonly Lock _gate = new();

    /// <summary>The key of <paramref name="timestamp"/>'s month: year·100 + month, in UTC.</summary>
    public static int MonthKey(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return (utc.Year * 100) + utc.Month;
    }

    /// <summary>Books (sign 1) or takes off (sign −1) a cost in <paramref name="timestamp"/>'s month.</summary>
    public void Add(DateTimeOffset timestamp, decimal usd, int sign = 1)
    {
        if (usd == 0)
        {
            return;
        }

        var key = MonthKey(timestamp);
        lock (_gate)
        {
            _byMonth[key] = _byMonth.GetValueOrDefault(key) + (sign * usd);
        }
    }

    /// <summary>Sets a month's total, e.g. to what the store holds for it at start.</summary>
    public void Set(DateTimeOffset month, decimal totalUsd)
    {
        lock (_gate)
        {
            _byMonth[MonthKey(month)] = totalUsd;
        }
    }

    /// <summary>The total of <paramref name="at"/>'s month.</summary>
    public decimal TotalOf(DateTimeOffset at)
    {
        lock (_gate)
        {
            return _byMonth.GetValueOrDefault(MonthKey(at));
        }
    }
}
