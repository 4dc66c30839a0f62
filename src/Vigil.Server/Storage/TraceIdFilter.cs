namespace Vigil.Server.Storage;

/// <summary>
/// A Bloom filter of every trace id the store holds, so the writer skips the index probe for ids that are certainly new
/// (nearly all of them with random trace ids). Its size is fixed (<c>bytes</c>), so memory stays bounded: past its
/// capacity it answers "maybe" more often and the store simply probes more. It is only trusted once it holds the ids
/// stored before the process started (<see cref="MarkComplete"/>); until then every id is "maybe".
/// </summary>
internal sealed class TraceIdFilter
{
    private const int Hashes = 4;
    private readonly long[] _bits;
    private readonly ulong _bitCount;
    private volatile bool _complete;

    public TraceIdFilter(int bytes)
    {
        _bits = new long[Math.Max(bytes / sizeof(long), 1)];
        _bitCount = (ulong)_bits.Length * 64;
    }

    /// <summary>True once the ids stored before start are in the filter.</summary>
    public bool IsComplete => _complete;

    /// <summary>Adds an id (any thread).</summary>
    public void Add(string traceId)
    {
        var (h1, h2) = Hash(traceId);
        for (var i = 0; i < Hashes; i++)
        {
            var bit = (h1 + ((ulong)i * h2)) % _bitCount;
            Interlocked.Or(ref _bits[bit >> 6], 1L << (int)(bit & 63));
        }
    }

    /// <summary>False when <paramref name="traceId"/> is certainly not stored; true when it may be (or the filter is not complete).</summary>
    public bool MayContain(string traceId)
    {
        if (!_complete)
        {
            return true;
        }

        var (h1, h2) = Hash(traceId);
        for (var i = 0; i < Hashes; i++)
        {
            var bit = (h1 + ((ulong)i * h2)) % _bitCount;
            if ((Volatile.Read(ref _bits[bit >> 6]) & (1L << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The ids stored before start have all been added.</summary>
    public void MarkComplete() => _complete = true;

    // FNV-1a over the UTF-16 code units, and a splitmix64 finish of it as the second hash (double hashing).
    private static (ulong, ulong) Hash(string traceId)
    {
        var h = 14695981039346656037UL;
        foreach (var c in traceId)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        var m = h + 0x9E3779B97F4A7C15UL;
        m = (m ^ (m >> 30)) * 0xBF58476D1CE4E5B9UL;
        m = (m ^ (m >> 27)) * 0x94D049BB133111EBUL;
        m ^= m >> 31;
        return (h, m | 1);
    }
}
