using Vigil.Costs;

namespace Vigil.Tests.Costs;

public sealed class CostLedgerUserCapTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    internal static List<(string User, decimal Usd)> Costs(int users, int seed)
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
