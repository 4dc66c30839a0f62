using System.Runtime.InteropServices;
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
    public Dictionary<string, decimal> ByUser => _byUser;

    /// <summary>Cost by calendar month (UTC), keyed year·100+month.</summary>
    public Dictionary<int, decimal> ByMonth { get; } = [];

    /// <summary>Adds (sign 1) or removes (sign −1) one interaction's cost.</summary>
    public void Add(decimal usd, string model, string feature, string userTier, string? userId, DateTimeOffset timestamp, int sign = 1)
    {
        var amount = sign * usd;
        TotalUsd += amount;
        Interactions += sign;
        Bump(ByModel, model, amount);
        Bump(ByFeature, feature, amount);
        Bump(ByUserTier, userTier, amount);
        if (userId is not null)
        {
            BumpUser(userId, amount);
        }

        Bump(ByMonth, MonthKey(timestamp), amount);
    }

    /// <summary>
    /// Adds <paramref name="usd"/> to one user's cost only, for a reader that added the interactions without their user
    /// and summed each user's cost itself (the user cap applies as if the interactions had carried the user).
    /// </summary>
    internal void AddToUser(string userId, decimal usd) => BumpUser(userId, usd);

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
        if (_byUser.Count == 0)
        {
            // Sized once, when empty: later additions grow it by doubling (an exact size on each merge of a window's
            // slices would copy it every time).
            _byUser.EnsureCapacity(Math.Min(other._byUser.Count, _trimAt + 1));
        }

        foreach (var (user, usd) in other._byUser)
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

    /// <summary>The key of <paramref name="timestamp"/>'s month in <see cref="ByMonth"/> (<see cref="MonthlyCosts.MonthKey"/>).</summary>
    public static int MonthKey(DateTimeOffset timestamp) => MonthlyCosts.MonthKey(timestamp);

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
