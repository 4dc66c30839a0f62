using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Costs;

/// <summary>
/// Costs by model, feature, user tier and user (seed §4), plus per calendar month (UTC) for the budget.
/// Every figure can be un-counted again, so a replaced interaction is never counted twice.
/// The per-user map is capped; users past the cap are summed under <see cref="OtherUsers"/>.
/// </summary>
public sealed class CostLedger
{
    /// <summary>The key users past the cap are summed under.</summary>
    public const string OtherUsers = "(other)";

    private const int MaxUsers = 10_000;

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

    /// <summary>Cost by user (capped).</summary>
    public Dictionary<string, decimal> ByUser { get; } = new(StringComparer.Ordinal);

    /// <summary>Cost by calendar month (UTC), keyed year·100+month.</summary>
    public Dictionary<int, decimal> ByMonth { get; } = [];

    /// <summary>Adds (sign 1) or removes (sign −1) one interaction's cost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>Adds every figure of <paramref name="other"/>.</summary>
    public void Merge(CostLedger other)
    {
        ArgumentNullException.ThrowIfNull(other);
        TotalUsd += other.TotalUsd;
        Interactions += other.Interactions;
        MergeMap(ByModel, other.ByModel);
        MergeMap(ByFeature, other.ByFeature);
        MergeMap(ByUserTier, other.ByUserTier);
        foreach (var (user, usd) in other.ByUser)
        {
            BumpUser(user, usd);
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

    private void BumpUser(string userId, decimal amount)
    {
        if (ByUser.Count < MaxUsers)
        {
            Bump(ByUser, userId, amount);
            return;
        }

        ref var existing = ref CollectionsMarshal.GetValueRefOrNullRef(ByUser, userId);
        if (Unsafe.IsNullRef(ref existing))
        {
            Bump(ByUser, OtherUsers, amount);
        }
        else
        {
            existing += amount;
        }
    }

    private static void Bump<TKey>(Dictionary<TKey, decimal> map, TKey key, decimal amount)
        where TKey : notnull =>
        CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _) += amount;
}
