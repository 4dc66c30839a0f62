using System.Text;
using Vigil.Costs;
using Vigil.Records;

namespace Vigil.Tests.Costs;

public sealed class CostLedgerUserCapTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<(string User, decimal Usd)> Costs(int users, int seed)
    {
        var random = new Random(seed);
        var costs = new List<(string, decimal)>();
        for (var u = 0; u < users; u++)
        {
            for (var k = 1 + (u % 3); k > 0; k--)
            {
                costs.Add(($"u-{u}", random.Next(1, 100_000) / 1_000_000m));
            }
        }

        return costs;
    }

    private static CostLedger Ledger(IEnumerable<(string User, decimal Usd)> costs)
    {
        var ledger = new CostLedger();
        foreach (var (user, usd) in costs)
        {
            ledger.Add(usd, "m", "f", "t", user, At);
        }

        return ledger;
    }

    [Fact]
    public void Add_ByTheReadersSlots_SameFiguresAsByTheMapWithRemovalsZeroSumsAndTwoTables()
    {
        // Users summed by their slot in a reader's string table (the report's fast path) must give exactly the map's
        // figures: past the cap, with removals, users whose costs sum to 0, users the table does not keep, and lines
        // from a second table (another worker's) that go through the map.
        var costs = Costs(30_000, 11);
        costs.Add(("u-zero", 0m));
        var byMap = new CostLedger();
        var bySlot = new CostLedger();
        var tables = new[] { new AsciiStringCache(), new AsciiStringCache() };
        for (var i = 0; i < costs.Count; i++)
        {
            var (user, usd) = costs[i];
            var sign = i % 10 == 9 ? -1 : 1;
            byMap.Add(usd, "m", "f", "t", user, At, sign);
            var table = tables[i % 7 == 0 ? 1 : 0];
            var id = table.GetOfMany(Encoding.ASCII.GetBytes(user), out var slot);
            bySlot.Add(usd, "m", "f", "t", id, slot >= 0 ? new UserSlot(table, slot) : default, At, sign);
            if (i == costs.Count / 2)
            {
                // Reading the map part way moves the slot sums into it; adding goes on by slot afterwards.
                Assert.Equal(byMap.Users().OrderBy(p => p.Key, StringComparer.Ordinal), bySlot.Users().OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }

        Assert.Equal(byMap.Users().OrderBy(p => p.Key, StringComparer.Ordinal), bySlot.Users().OrderBy(p => p.Key, StringComparer.Ordinal));
        var small = new CostLedger();
        var smallTable = new AsciiStringCache();
        small.Add(0m, "m", "f", "t", smallTable.GetOfMany("u-zero"u8, out var zeroSlot), new UserSlot(smallTable, zeroSlot), At);
        Assert.Equal(0m, small.Users()["u-zero"]);
        Assert.Equal(byMap.TotalUsd, bySlot.TotalUsd);
        var merged = new CostLedger();
        merged.Merge(bySlot);
        Assert.Equal(byMap.Users().OrderBy(p => p.Key, StringComparer.Ordinal), merged.Users().OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Users_PastTheCap_SameFiguresWhateverTheOrderAndTheSplit()
    {
        var costs = Costs(30_000, 7);
        var inOrder = Ledger(costs).Users();

        var shuffled = costs.ToArray();
        new Random(11).Shuffle(shuffled);
        var reordered = Ledger(shuffled).Users();

        // Split between two "workers" by position, merged.
        var left = Ledger(shuffled.Take(shuffled.Length / 3));
        left.Merge(Ledger(shuffled.Skip(shuffled.Length / 3)));
        var merged = left.Users();

        Assert.Equal(10_001, inOrder.Count); // 10,000 users and "(other)"
        Assert.Equal(inOrder.OrderBy(p => p.Key, StringComparer.Ordinal), reordered.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(inOrder.OrderBy(p => p.Key, StringComparer.Ordinal), merged.OrderBy(p => p.Key, StringComparer.Ordinal));

        // Kept users carry their exact totals; everything else is in "(other)".
        var exact = costs.GroupBy(c => c.User).ToDictionary(g => g.Key, g => g.Sum(c => c.Usd));
        foreach (var (user, usd) in inOrder.Where(p => p.Key != CostLedger.OtherUsers))
        {
            Assert.Equal(exact[user], usd);
        }

        Assert.Equal(costs.Sum(c => c.Usd), inOrder.Values.Sum());
    }

    [Fact]
    public void Users_UnderTheCap_EveryUserExactAndNoOther()
    {
        var costs = Costs(9_000, 3);
        var users = Ledger(costs).Users();

        Assert.Equal(9_000, users.Count);
        Assert.DoesNotContain(CostLedger.OtherUsers, users.Keys);
        Assert.Equal(costs.Where(c => c.User == "u-42").Sum(c => c.Usd), users["u-42"]);
    }

    [Fact]
    public void Remove_AfterACut_TakesTheCostBackFromWhereItWent()
    {
        var costs = Costs(20_000, 5);
        var ledger = Ledger(costs);
        foreach (var (user, usd) in costs)
        {
            ledger.Add(usd, "m", "f", "t", user, At, sign: -1);
        }

        Assert.Equal(0m, ledger.TotalUsd);
        Assert.All(ledger.Users().Values, usd => Assert.Equal(0m, usd));
    }
}
