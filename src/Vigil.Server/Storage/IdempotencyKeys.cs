namespace Vigil.Server.Storage;

/// <summary>What both stores do alike with <see cref="IdempotencyKey"/>s: the scope's name in the table, and pruning.</summary>
internal static class IdempotencyKeys
{
    /// <summary>How long a key is kept at least; older ones may be pruned (then a repeat is stored again).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    // Keys past the retention are deleted by a write with keys, at most this often.
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>The <c>scope</c> column's value.</summary>
    public static string Name(IdempotencyScope scope) => scope switch
    {
        IdempotencyScope.Interactions => "interactions",
        IdempotencyScope.Feedback => "feedback",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a scope of idempotency keys."),
    };

    /// <summary>
    /// The <c>created_at</c> (Unix microseconds) before which keys are to be deleted now, or null when keys were pruned
    /// less than a minute ago. <paramref name="nextPrune"/> is the caller's field (microseconds), updated here.
    /// </summary>
    public static long? PruneBefore(long now, ref long nextPrune)
    {
        var next = Interlocked.Read(ref nextPrune);
        if (now < next || Interlocked.CompareExchange(ref nextPrune, now + (long)PruneInterval.TotalMicroseconds, next) != next)
        {
            return null;
        }

        return now - (long)Retention.TotalMicroseconds;
    }

    /// <summary>Throws when a key repeats within one call (the request writer sorts repeats out before).</summary>
    public static void CheckDistinct(IReadOnlyList<IdempotencyKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count > 1 && keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            throw new ArgumentException("An idempotency key is given twice in one write.", nameof(keys));
        }
    }
}
