using System.Text;
using Vigil.Costs;
using Vigil.Reports.FastReading;
using Vigil.Tests.Costs;

namespace Vigil.Tests.Reports.FastReading;

public sealed class UserCostSumsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MoveTo_SumsByUserIdIndex_SameUsersAsAddingEachInteractionWithItsUser()
    {
        // Users summed by their index in a reader's string table (the report's fast path), moved into the ledger part way
        // and at the end, must give exactly the figures of adding each interaction with its user: past the cap, with a
        // user whose costs sum to 0, and through a merge.
        var costs = CostLedgerUserCapTests.Costs(30_000, 11);
        costs.Add(("u-zero", 0m));
        var byUser = new CostLedger();
        var byIndex = new CostLedger();
        var table = new AsciiStringCache();
        var sums = new UserCostSums();
        for (var i = 0; i < costs.Count; i++)
        {
            var (user, usd) = costs[i];
            byUser.Add(usd, "m", "f", "t", user, At);
            var index = table.UserIdIndex(Encoding.ASCII.GetBytes(user), out var fresh);
            byIndex.Add(usd, "m", "f", "t", fresh, At);
            if (index >= 0)
            {
                sums.Add(index, usd);
            }

            if (i == costs.Count / 2)
            {
                sums.MoveTo(byIndex, table);
                Assert.Equal(Sorted(byUser.Users()), Sorted(byIndex.Users()));
            }
        }

        sums.MoveTo(byIndex, table);

        Assert.Equal(Sorted(byUser.Users()), Sorted(byIndex.Users()));
        Assert.Equal(byUser.TotalUsd, byIndex.TotalUsd);
        var merged = new CostLedger();
        merged.Merge(byIndex);
        Assert.Equal(Sorted(byUser.Users()), Sorted(merged.Users()));

        var small = new CostLedger();
        var smallSums = new UserCostSums();
        smallSums.Add(table.UserIdIndex("u-zero"u8, out _), 0m);
        smallSums.MoveTo(small, table);
        Assert.Equal(0m, small.Users()["u-zero"]);
    }

    private static IEnumerable<KeyValuePair<string, decimal>> Sorted(IReadOnlyDictionary<string, decimal> users) =>
        users.OrderBy(p => p.Key, StringComparer.Ordinal);
}
