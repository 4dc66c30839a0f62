using Vigil.Costs;

namespace Vigil.Tests.Costs;

public sealed class CostLedgerMonthTests
{
    [Fact]
    public void Add_MonthsOutOfOrderAndAtTheirEdges_EachCostInItsUtcMonth()
    {
        var ledger = new CostLedger();
        (string At, decimal Usd)[] costs =
        [
            ("2026-01-31T23:59:59.9999999Z", 1m),
            ("2026-02-01T00:00:00Z", 2m),
            ("2026-01-01T00:00:00Z", 4m),
            ("2026-02-01T00:30:00+01:00", 8m), // 2026-01-31T23:30Z
            ("2025-12-31T23:00:00Z", 16m),
            ("2026-02-28T23:59:59Z", 32m),
            ("9999-12-31T23:59:59Z", 64m),
            ("0001-01-01T00:00:00Z", 128m),
        ];

        foreach (var (at, usd) in costs)
        {
            ledger.Add(usd, "m", "f", "free", null, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
        }

        ledger.Add(2m, "m", "f", "free", null, DateTimeOffset.Parse("2026-02-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), sign: -1);

        Assert.Equal(
            new Dictionary<int, decimal> { [202601] = 13m, [202602] = 32m, [202512] = 16m, [999912] = 64m, [101] = 128m },
            ledger.ByMonth);
    }
}
