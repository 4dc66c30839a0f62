namespace Vigil.Reports;

/// <summary>
/// A fixed-size Bloom filter over trace ids, safe to use from several threads: it answers "maybe seen"
/// or "certainly new" in constant memory, so finding repeated trace_ids in a large file needs no set of
/// every id.
/// </summary>
internal sealed class TraceIdFilter
{
    private const int Hashes = 4;
    private readonly long[] _words;
    private readonly uint _mask;

    public TraceIdFilter(long expectedItems)
    {
        // About 24 bits per item, a power of two between 64 Ki and 256 Mi bits (32 MiB): false positives stay rare
        // and memory stays flat however large the file is.
        var wanted = Math.Clamp(expectedItems * 24, 1L << 16, 1L << 28);
        var bits = 1L << (int)Math.Ceiling(Math.Log2(wanted));
        _words = new long[bits / 64];
        _mask = (uint)(bits - 1);
    }

    /// <summary>Adds <paramref name="id"/>; true when it was maybe already there.</summary>
    public bool AddAndCheck(ReadOnlySpan<byte> id)
    {
        var (h1, h2) = Hash(id);
        var seen = true;
        for (uint i = 0; i < Hashes; i++)
        {
            var bit = (h1 + (i * h2)) & _mask;
            var flag = 1L << (int)(bit & 63);
            var before = Interlocked.Or(ref _words[bit >> 6], flag);
            seen &= (before & flag) != 0;
        }

        return seen;
    }

    private static (uint, uint) Hash(ReadOnlySpan<byte> id)
    {
        // FNV-1a and a multiplicative hash: stable, independent enough for double hashing.
        uint fnv = 2166136261, mul = 0x9E3779B9;
        foreach (var c in id)
        {
            fnv = (fnv ^ c) * 16777619;
            mul = (mul ^ c) * 0x85EBCA6B;
            mul ^= mul >> 13;
        }

        return (fnv, mul | 1);
    }
}
