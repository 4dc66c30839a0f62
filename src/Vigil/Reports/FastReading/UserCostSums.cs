using System.Numerics;
using System.Runtime.CompilerServices;
using Vigil.Costs;

namespace Vigil.Reports.FastReading;

/// <summary>
/// One worker's cost sums per user, by the user id's index in its string table (<see cref="AsciiStringCache.UserIdIndex"/>):
/// an array index per line instead of a map lookup, which missed the cache on every line with 50,000 users. They reach
/// the cost ledger as plain (user, amount) additions (<see cref="MoveTo"/>), through which its user cap applies as if
/// each line had been added there, so the figures are the same.
/// </summary>
internal sealed class UserCostSums
{
    private decimal[] _sums = [];
    private ulong[] _used = []; // a bit per index: summed into at least once (a sum of 0 still lists the user)
    private int _count;

    /// <summary>Starts loading the sum <see cref="Add"/> will add to (with many users the sums are larger than the cache).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int index)
    {
        if ((uint)index < (uint)_sums.Length)
        {
            CachePrefetch.Load(in _sums[index]);
        }
    }

    /// <summary>Adds <paramref name="usd"/> to the user numbered <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int index, decimal usd)
    {
        if (index >= _sums.Length)
        {
            // Indexes are dense (0, 1, 2, … as users first appear), so the arrays grow with the users, doubling.
            var size = Math.Max(1024, (int)BitOperations.RoundUpToPowerOf2((uint)index + 1));
            Array.Resize(ref _sums, size);
            Array.Resize(ref _used, size / 64);
        }

        _sums[index] += usd;
        _used[index >> 6] |= 1UL << index;
        _count = Math.Max(_count, index + 1);
    }

    /// <summary>Adds every sum to <paramref name="ledger"/> under its user id from <paramref name="userIds"/>, and empties them.</summary>
    public void MoveTo(CostLedger ledger, AsciiStringCache userIds)
    {
        for (var index = 0; index < _count; index++)
        {
            if ((_used[index >> 6] & (1UL << index)) != 0)
            {
                ledger.AddToUser(userIds.UserIdAt(index), _sums[index]);
            }
        }

        Array.Clear(_sums);
        Array.Clear(_used);
        _count = 0;
    }
}
