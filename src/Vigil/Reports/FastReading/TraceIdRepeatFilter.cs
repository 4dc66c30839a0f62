using System.Runtime.CompilerServices;
using Vigil.Records;

namespace Vigil.Reports.FastReading;

/// <summary>
/// The trace ids of the lines read so far, to flag the lines whose id maybe repeats an earlier one (a Bloom filter with
/// <see cref="TraceIdBloomFilter"/>'s words and bits, on huge pages and with a prefetch: for a large file it is far
/// larger than the cache). Safe to use from several threads. Ids go in as their <see cref="StableHash"/>.
/// </summary>
internal sealed class TraceIdRepeatFilter
{
    private readonly HugePageArray<ulong> _words;
    private readonly ulong _mask;

    public TraceIdRepeatFilter(long expectedItems)
    {
        // About 24 bits per item, a power of two between 64 Ki and 256 Mi bits (32 MiB): false positives stay rare
        // and memory stays flat however large the file is.
        var bits = Math.Clamp(expectedItems * 24, 1L << 16, 1L << 28);
        var bytes = (1L << (int)Math.Ceiling(Math.Log2(bits))) / 8;
        _words = new HugePageArray<ulong>(TraceIdBloomFilter.WordsOf(bytes));
        _mask = (ulong)_words.Length - 1;
    }

    /// <summary>
    /// Starts loading the filter word of <paramref name="hash"/> into the cache, so that <see cref="AddAndCheck"/>,
    /// called after the rest of the line is read, does not wait for memory (the filter is far larger than the cache).
    /// </summary>
    public void Prefetch(ulong hash) => CachePrefetch.Load(in _words[TraceIdBloomFilter.WordOf(hash, _mask)]);

    /// <summary>Adds the id with hash <paramref name="hash"/> (<see cref="StableHash.Of(ReadOnlySpan{byte})"/> of its UTF-8 bytes); true when it was maybe already there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool AddAndCheck(ulong hash)
    {
        var bits = TraceIdBloomFilter.BitsOf(hash);
        return (Interlocked.Or(ref _words[TraceIdBloomFilter.WordOf(hash, _mask)], bits) & bits) == bits;
    }
}
