using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using Vigil.Memory;
using Vigil.Records;

namespace Vigil.Costs;

/// <summary>
/// Costs by model, feature, user tier and user (seed §4), plus per calendar month (UTC) for the budget.
/// Every figure can be un-counted again, so a replaced interaction is never counted twice.
/// The per-user map is capped: past the cap it keeps the users whose ids hash lowest (a stable hash), and sums the
/// others under <see cref="OtherUsers"/>. Which users are kept therefore depends on the ids alone, not on the order the
/// records arrive in or how they were split between workers, so the same records always give the same figures.
/// </summary>
public sealed class CostLedger
{
    /// <summary>The key users past the cap are summed under.</summary>
    public const string OtherUsers = "(other)";

    /// <summary>The default number of users kept by name.</summary>
    public const int DefaultMaxUsers = 10_000;

    private readonly int _maxUsers;

    // The map may grow a quarter past the cap before it is cut back, so a cut is rare.
    private readonly int _trimAt;

    private readonly Dictionary<string, decimal> _byUser = new(StringComparer.Ordinal);

    // Users whose id hashes above this go to OtherUsers; it only ever decreases.
    private ulong _userHashLimit = ulong.MaxValue;

    // Sums by the index of one reader's string table (see UserSlot): an array index per line instead of a map lookup,
    // which missed the cache on every line with 50,000 users. Moved into _byUser whenever the map is read, so the
    // figures are the same as adding to the map directly. Reading ByUser therefore writes: like the rest of the
    // ledger, not for use from two threads at once.
    private AsciiStringCache? _slotTable;
    private decimal[]? _slotSums;
    private ulong[]? _slotUsed; // a bit per slot: summed into at least once (a sum of 0 still lists the user)
    private int _slotCount;
    private bool _slotsDirty;

    // The month MonthOf answered last, as [start, end) in UTC ticks.
    private long _monthStartTicks = long.MaxValue;
    private long _monthEndTicks = long.MinValue;
    private int _month;

    /// <summary>Creates an empty ledger that keeps up to <paramref name="maxUsers"/> users by name.</summary>
    public CostLedger(int maxUsers = DefaultMaxUsers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUsers, 1);
        _maxUsers = maxUsers;
        _trimAt = maxUsers + (maxUsers / 4);
    }

    /// <summary>Total cost in USD.</summary>
    public decimal TotalUsd { get; private set; }

    /// <summary>Interactions counted.</summary>
    public long Interactions { get; private set; }

    /// <summary>Cost by model.</summary>
    public Dictionary<string, decimal> ByModel { get; } = new(StringComparer.Ordinal);

    /// <summary>Cost by feature.</summary>
    public Dictionary<string, decimal> ByFeature { get; } = new(StringComparer.Ordinal);

    /// <summary>Cost by user tier.</summary>
    public Dictionary<string, decimal> ByUserTier { get; } = new(StringComparer.Ordinal);

    /// <summary>Cost by user, up to a quarter past the cap (see <see cref="Users"/> for the exact cut).</summary>
    public Dictionary<string, decimal> ByUser => FlushSlots();

    /// <summary>Cost by calendar month (UTC), keyed year·100+month.</summary>
    public Dictionary<int, decimal> ByMonth { get; } = [];

    /// <summary>Adds (sign 1) or removes (sign −1) one interaction's cost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(decimal usd, string model, string feature, string userTier, string? userId, DateTimeOffset timestamp, int sign = 1) =>
        Add(usd, model, feature, userTier, userId, default, timestamp, sign);

    /// <summary>Adds or removes one interaction's cost, with where the reader keeps its user id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Add(decimal usd, string model, string feature, string userTier, string? userId, UserSlot userSlot, DateTimeOffset timestamp, int sign = 1)
    {
        var amount = sign switch { 1 => usd, -1 => -usd, _ => sign * usd };
        TotalUsd += amount;
        Interactions += sign;
        Bump(ByModel, model, amount);
        Bump(ByFeature, feature, amount);
        Bump(ByUserTier, userTier, amount);
        if (userSlot.Table is { } table)
        {
            // The reader's table has the user: summed by its index, or (another reader's table) by its string from there.
            if ((_slotTable ??= table) == table)
            {
                AddBySlot(userSlot.Index, amount);
            }
            else
            {
                BumpUser(userId ?? table.ManyValue(userSlot.Index), amount);
            }
        }
        else if (userId is not null)
        {
            BumpUser(userId, amount);
        }

        Bump(ByMonth, MonthOf(timestamp.UtcTicks), amount);
    }

    // MonthKey of a UTC instant, remembering the last month's range: lines mostly come in time order, and working out
    // a date's year and month on every line cost more than the rest of the month's bookkeeping.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int MonthOf(long utcTicks)
    {
        if (utcTicks < _monthStartTicks || utcTicks >= _monthEndTicks)
        {
            var start = new DateTime(utcTicks, DateTimeKind.Utc);
            start = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            var end = start.Year == DateTime.MaxValue.Year && start.Month == 12 ? long.MaxValue : start.AddMonths(1).Ticks;
            (_monthStartTicks, _monthEndTicks, _month) = (start.Ticks, end, (start.Year * 100) + start.Month);
        }

        return _month;
    }

    /// <summary>Adds every figure of <paramref name="other"/>.</summary>
    public void Merge(CostLedger other)
    {
        ArgumentNullException.ThrowIfNull(other);
        TotalUsd += other.TotalUsd;
        Interactions += other.Interactions;
        MergeMap(ByModel, other.ByModel);
        MergeMap(ByFeature, other.ByFeature);
        MergeMap(ByUserTier, other.ByUserTier);
        _userHashLimit = Math.Min(_userHashLimit, other._userHashLimit);
        var users = other.ByUser;
        SizeEmptyUsers(users.Count);
        foreach (var (user, usd) in users)
        {
            if (user == OtherUsers)
            {
                Bump(_byUser, OtherUsers, usd);
            }
            else
            {
                BumpUser(user, usd);
            }
        }

        MergeMap(ByMonth, other.ByMonth);
    }

    /// <summary>The key of <paramref name="timestamp"/>'s month in <see cref="ByMonth"/>.</summary>
    public static int MonthKey(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return (utc.Year * 100) + utc.Month;
    }

    private static void MergeMap<TKey>(Dictionary<TKey, decimal> into, Dictionary<TKey, decimal> from)
        where TKey : notnull
    {
        foreach (var (key, usd) in from)
        {
            Bump(into, key, usd);
        }
    }

    /// <summary>
    /// Cost by user: every user when there are at most the cap (10,000 by default), else the cap's number whose ids hash lowest, the others summed
    /// under <see cref="OtherUsers"/>. The same records give the same map whatever their order.
    /// </summary>
    public IReadOnlyDictionary<string, decimal> Users()
    {
        var kept = KeptUsers(ByUser, _maxUsers, out _);
        if (kept is null)
        {
            return ByUser;
        }

        var users = new Dictionary<string, decimal>(_maxUsers + 1, StringComparer.Ordinal);
        decimal other = 0;
        foreach (var (user, usd) in ByUser)
        {
            if (user != OtherUsers && kept.Contains(user))
            {
                users[user] = usd;
            }
            else
            {
                other += usd;
            }
        }

        users[OtherUsers] = other;
        return users;
    }

    private void BumpUser(string userId, decimal amount)
    {
        if (_userHashLimit != ulong.MaxValue && UserHash(userId) > _userHashLimit)
        {
            Bump(_byUser, OtherUsers, amount);
            return;
        }

        Bump(_byUser, userId, amount);
        if (_byUser.Count > _trimAt)
        {
            TrimUsers();
        }
    }

    /// <summary>
    /// Starts loading the sum <see cref="Add(decimal, string, string, string, string?, UserSlot, DateTimeOffset, int)"/> will
    /// add this user's cost to (with many users the sums are larger than the cache).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void PrefetchUser(UserSlot userSlot)
    {
        if (userSlot.Table == _slotTable && _slotSums is { } sums && (uint)userSlot.Index < (uint)sums.Length)
        {
            CachePrefetch.Load(in sums[userSlot.Index]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddBySlot(int slot, decimal amount)
    {
        if (_slotSums is null || slot >= _slotSums.Length)
        {
            // Indexes are dense (0, 1, 2, … as users first appear), so the arrays grow with the users, doubling.
            var size = Math.Max(1024, (int)BitOperations.RoundUpToPowerOf2((uint)slot + 1));
            Array.Resize(ref _slotSums, size);
            Array.Resize(ref _slotUsed, size / 64);
        }

        _slotSums[slot] += amount;
        _slotUsed![slot >> 6] |= 1UL << slot;
        _slotCount = Math.Max(_slotCount, slot + 1);
        _slotsDirty = true;
    }

    // Moves the sums by slot into the map (through BumpUser, so the cap applies as if they had been added there), each
    // under its user's string from the reader's table. A user seen before and not since adds 0, which changes nothing.
    private Dictionary<string, decimal> FlushSlots()
    {
        if (_slotsDirty)
        {
            _slotsDirty = false;
            SizeEmptyUsers(_slotCount);

            for (var slot = 0; slot < _slotCount; slot++)
            {
                if ((_slotUsed![slot >> 6] & (1UL << slot)) != 0)
                {
                    BumpUser(_slotTable!.ManyValue(slot), _slotSums![slot]);
                    _slotSums[slot] = 0;
                }
            }
        }

        return _byUser;
    }

    // Sizes the map by users once, when it is empty and about to take `count` users: later additions grow it by doubling
    // (an exact size on each merge of a window's slices would copy it every time).
    private void SizeEmptyUsers(int count)
    {
        if (_byUser.Count == 0)
        {
            _byUser.EnsureCapacity(Math.Min(count, _trimAt + 1));
        }
    }

    // Keeps the cap's number of users whose ids hash lowest (all with the limit's hash), moving the others to OtherUsers.
    private void TrimUsers()
    {
        if (KeptUsers(_byUser, _maxUsers, out var limit) is not { } kept)
        {
            return;
        }

        _userHashLimit = limit;
        decimal moved = 0;
        foreach (var (user, usd) in _byUser)
        {
            if (user != OtherUsers && !kept.Contains(user))
            {
                moved += usd;
                _byUser.Remove(user);
            }
        }

        Bump(_byUser, OtherUsers, moved);
    }

    // The users of map (OtherUsers aside) with the `keep` lowest hashes, and users sharing the last one's hash; null
    // when there are no more than `keep`.
    private static HashSet<string>? KeptUsers(Dictionary<string, decimal> map, int keep, out ulong limit)
    {
        limit = ulong.MaxValue;
        if (map.Count - (map.ContainsKey(OtherUsers) ? 1 : 0) <= keep)
        {
            return null;
        }

        var users = map.Keys.Where(user => user != OtherUsers).Select(user => (Hash: UserHash(user), User: user)).ToArray();

        Array.Sort(users, (a, b) => a.Hash.CompareTo(b.Hash));
        limit = users[keep - 1].Hash;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hash, user) in users)
        {
            if (hash > limit)
            {
                break;
            }

            kept.Add(user);
        }

        return kept;
    }

    // Stable across processes (string.GetHashCode is not), so the users kept do not change between runs.
    private static ulong UserHash(string userId) => StableHash.Of(userId);

    private static void Bump<TKey>(Dictionary<TKey, decimal> map, TKey key, decimal amount)
        where TKey : notnull =>
        CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _) += amount;
}
