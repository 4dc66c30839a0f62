namespace Vigil.Records;

/// <summary>
/// A fixed-size Bloom filter over trace ids, safe to use from several threads: it answers "maybe seen" or "certainly
/// new" in constant memory, so finding repeated or stored ids needs no set of every id. Blocked: all the bits of an id
/// lie in one 64-bit word, so a check is one memory access and one atomic operation, and of two threads adding the same
/// id at once the second always sees the first. Ids go in by their <see cref="StableHash"/>.
/// </summary>
internal sealed class TraceIdBloomFilter
{
    // Bits set per id: with ~24 bits of filter per id about 0.1 % of new ids are answered "maybe".
    private const int BitsPerId = 6;
    private const int MaxWords = 1 << 30;

    private readonly ulong[] _words;
    private readonly ulong _mask;

    /// <summary>A filter of about <paramref name="bytes"/> bytes (rounded down to a power of two, at least one 64-bit word).</summary>
    public TraceIdBloomFilter(long bytes)
    {
        _words = new ulong[WordsOf(bytes)];
        _mask = (ulong)_words.Length - 1;
    }

    /// <summary>Adds <paramref name="traceId"/>; true when it was maybe there already.</summary>
    public bool Add(string traceId) => AddHash(StableHash.Of(traceId));

    /// <summary>False when <paramref name="traceId"/> was certainly never added.</summary>
    public bool MayContain(string traceId) => MayContainHash(StableHash.Of(traceId));

    /// <summary>Adds the id whose <see cref="StableHash"/> is <paramref name="hash"/>; true when it was maybe there already.</summary>
    public bool AddHash(ulong hash)
    {
        var bits = BitsOf(hash);
        return (Interlocked.Or(ref _words[WordOf(hash, _mask)], bits) & bits) == bits;
    }

    /// <summary>False when the id whose <see cref="StableHash"/> is <paramref name="hash"/> was certainly never added.</summary>
    public bool MayContainHash(ulong hash)
    {
        var bits = BitsOf(hash);
        return (Volatile.Read(ref _words[WordOf(hash, _mask)]) & bits) == bits;
    }

    /// <summary>The number of 64-bit words of a filter of about <paramref name="bytes"/> bytes: a power of two.</summary>
    internal static int WordsOf(long bytes) => 1 << (int)Math.Floor(Math.Log2(Math.Clamp(bytes / sizeof(ulong), 1, MaxWords)));

    /// <summary>The word that holds an id's bits, in a filter of <paramref name="mask"/> + 1 words: from the hash's high bits.</summary>
    internal static long WordOf(ulong hash, ulong mask) => (long)((hash >> 36) & mask);

    /// <summary>An id's bits within its word: six positions from the hash's low 36 bits, six bits each.</summary>
    internal static ulong BitsOf(ulong hash)
    {
        ulong bits = 0;
        for (var i = 0; i < BitsPerId; i++)
        {
            bits |= 1UL << (int)((hash >> (6 * i)) & 63);
        }

        return bits;
    }
}
