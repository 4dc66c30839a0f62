using System.Runtime.CompilerServices;
using Vigil.Memory;

namespace Vigil.Reports;

/// <summary>
/// A fixed-size Bloom filter over trace ids, safe to use from several threads: it answers "maybe seen"
/// or "certainly new" in constant memory, so finding repeated trace_ids in a large file needs no set of
/// every id. Blocked: all the bits of an id lie in one 64-bit word, so a check is one cache miss and one
/// atomic operation, and of two threads adding the same id at once the second always sees the first.
/// Ids go in as 64-bit hashes (<see cref="Records.AsciiStringCache.Hash(ReadOnlySpan{byte})"/>); used by <c>vigil report</c>
/// and by the SQLite store's filter of stored ids.
/// </summary>
internal sealed class TraceIdFilter
{
    private const int Hashes = 6;
    private readonly HugePageArray<long> _words;
    private readonly ulong _mask;

    public TraceIdFilter(long expectedItems)
    {
        // About 24 bits per item, a power of two between 64 Ki and 256 Mi bits (32 MiB): false positives stay rare
        // and memory stays flat however large the file is.
        var wanted = Math.Clamp(expectedItems * 24, 1L << 16, 1L << 28);
        var bits = 1L << (int)Math.Ceiling(Math.Log2(wanted));
        _words = new HugePageArray<long>((int)(bits / 64));
        _mask = (ulong)_words.Length - 1;
    }

    private TraceIdFilter(HugePageArray<long> words)
    {
        _words = words;
        _mask = (ulong)words.Length - 1;
    }

    /// <summary>A filter of about <paramref name="bytes"/> bytes (rounded down to a power of two, at least 8).</summary>
    public static TraceIdFilter OfBytes(long bytes)
    {
        var words = Math.Clamp(bytes / sizeof(long), 1, 1L << 30);
        return new TraceIdFilter(new HugePageArray<long>(1 << (int)Math.Floor(Math.Log2(words))));
    }

    /// <summary>
    /// Starts loading the filter word of <paramref name="hash"/> into the cache, so that <see cref="AddAndCheck"/>,
    /// called after the rest of the line is read, does not wait for memory (the filter is far larger than the cache).
    /// </summary>
    public void Prefetch(ulong hash) => CachePrefetch.Load(in _words[(long)((hash >> 36) & _mask)]);

    /// <summary>Adds the id with hash <paramref name="hash"/> (<see cref="Records.AsciiStringCache.Hash(ReadOnlySpan{byte})"/> of its UTF-8 bytes); true when it was maybe already there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool AddAndCheck(ulong hash)
    {
        var flags = Flags(hash);
        var before = Interlocked.Or(ref _words[(long)((hash >> 36) & _mask)], flags);
        return (before & flags) == flags;
    }

    /// <summary>False when the id with hash <paramref name="hash"/> was certainly never added.</summary>
    public bool MayContain(ulong hash)
    {
        var flags = Flags(hash);
        return (Volatile.Read(ref _words[(long)((hash >> 36) & _mask)]) & flags) == flags;
    }

    // The word comes from the high bits, the bit positions from the low 36 (six bits each).
    private static long Flags(ulong hash)
    {
        long flags = 0;
        for (var i = 0; i < Hashes; i++)
        {
            flags |= 1L << (int)((hash >> (6 * i)) & 63);
        }

        return flags;
    }
}
