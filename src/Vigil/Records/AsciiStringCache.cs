using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Vigil.Memory;

namespace Vigil.Records;

/// <summary>
/// Maps ASCII bytes to shared strings so a reader sees each label (model, feature, tier, user) as one string
/// instead of making a new one per line. Not thread-safe: one per worker. Bounded (512 labels and 64 Ki user ids of
/// at most 128 characters, a few MiB): past its capacity new values are returned as fresh strings, so a
/// high-cardinality field cannot grow it.
/// </summary>
internal sealed class AsciiStringCache
{
    private const int Capacity = 1 << 10;

    /// <summary>Most values kept for a field with many values (see <see cref="KeepOfMany"/>); their indexes are below it.</summary>
    internal const int ManyKept = 1 << 16;

    // The table for many values starts small and doubles up to twice ManyKept slots (kept at most half full).
    private const int ManyFirstSlots = 1 << 10;
    private const int MaxLength = 128;
    private const int HeadBytes = 16;
    private readonly Entry[] _entries = new Entry[Capacity];
    private int _count;

    // The table for many values holds no references (so it can live on huge pages: with 50,000 users its pages were
    // touched for the first time one page fault each); the strings are kept by index beside it.
    private HugePageArray<ManyEntry>? _many;
    private string[] _manyValues = [];
    private int _manyCount;


    /// <summary>
    /// The index of <paramref name="ascii"/>'s value (ASCII only) in a table of its own for a field with many values, such
    /// as user ids, which keeps up to 65,536 values (growing with them, at most ~4 MiB plus the strings): each value is
    /// one string (<see cref="ManyValue"/>) however often it recurs, and indexes number the kept values densely from 0
    /// in the order first seen, so sums can be kept by index. -1 and a new string in <paramref name="fresh"/> for a value
    /// that is not kept; the kept string itself is not read (the strings are far apart in memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int KeepOfMany(ReadOnlySpan<byte> ascii, out string? fresh)
    {
        fresh = null;
        if (ascii.Length > MaxLength)
        {
            fresh = Encoding.ASCII.GetString(ascii);
            return -1;
        }

        var many = _many ??= new HugePageArray<ManyEntry>(ManyFirstSlots);
        if (_manyCount >= many.Length / 2 && many.Length < 2 * ManyKept)
        {
            _many = many = Grown(many);
        }

        var (low, high) = Head(ascii);
        var hash = StableHash.Of(ascii);
        var mask = many.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        while (true)
        {
            ref var entry = ref many[slot];
            if (entry.IndexPlusOne == 0)
            {
                var value = Encoding.ASCII.GetString(ascii);
                if (_manyCount >= many.Length / 2)
                {
                    fresh = value;
                    return -1;
                }

                if (_manyCount == _manyValues.Length)
                {
                    Array.Resize(ref _manyValues, Math.Max(ManyFirstSlots, _manyValues.Length * 2));
                }

                _manyValues[_manyCount] = value;
                entry = new ManyEntry(hash, low, high, _manyCount + 1, ascii.Length);
                return _manyCount++;
            }

            if (entry.Hash == hash && entry.Low == low && entry.High == high && entry.Length == ascii.Length
                && (ascii.Length <= HeadBytes || Ascii.Equals(ascii, _manyValues[entry.IndexPlusOne - 1])))
            {
                return entry.IndexPlusOne - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>The value <see cref="KeepOfMany"/> kept at <paramref name="index"/>.</summary>
    public string ManyValue(int index) => _manyValues[index];

    /// <summary>
    /// Starts loading the entry <see cref="KeepOfMany"/> will read for <paramref name="ascii"/> into the cache: with many
    /// values the table is far larger than the cache, and asked for early, the entry has arrived by the time it is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchOfMany(ReadOnlySpan<byte> ascii)
    {
        if (_many is { } many)
        {
            CachePrefetch.Load(in many[(long)(StableHash.Of(ascii) & (ulong)(many.Length - 1))]);
        }
    }

    // Twice the slots, every entry (with its index) placed again by its hash.
    private static HugePageArray<ManyEntry> Grown(HugePageArray<ManyEntry> entries)
    {
        var grown = new HugePageArray<ManyEntry>(entries.Length * 2);
        var mask = grown.Length - 1;
        foreach (var entry in entries.Span)
        {
            if (entry.IndexPlusOne == 0)
            {
                continue;
            }

            var slot = (int)(entry.Hash & (ulong)mask);
            while (grown[slot].IndexPlusOne != 0)
            {
                slot = (slot + 1) & mask;
            }

            grown[slot] = entry;
        }

        return grown;
    }

    /// <summary>The string of <paramref name="ascii"/> (ASCII only), for a label: kept up to 512 of them.</summary>
    /// <remarks>
    /// The labels' table keeps each string in its entry (read on every lookup: one cache line, where a string array
    /// beside the entries, as the table for many values has, measured 4 % slower over a whole report).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length > MaxLength)
        {
            return Encoding.ASCII.GetString(ascii);
        }

        // A value of up to 16 bytes is compared with the copy of its head in its entry, not with its string.
        var (low, high) = Head(ascii);
        var hash = StableHash.Of(ascii);
        var mask = _entries.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        while (true)
        {
            ref var entry = ref _entries[slot];
            if (entry.Value is null)
            {
                var value = Encoding.ASCII.GetString(ascii);
                if (_count < _entries.Length / 2)
                {
                    entry = new Entry(hash, low, high, value, ascii.Length);
                    _count++;
                }

                return value;
            }

            if (entry.Hash == hash && entry.Low == low && entry.High == high && entry.Length == ascii.Length
                && (ascii.Length <= HeadBytes || Ascii.Equals(ascii, entry.Value)))
            {
                return entry.Value;
            }

            slot = (slot + 1) & mask;
        }
    }

    // The first 16 bytes of a value, zero past its end, as two words.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Low, ulong High) Head(ReadOnlySpan<byte> value)
    {
        Span<byte> head = stackalloc byte[HeadBytes];
        head.Clear();
        value[..Math.Min(value.Length, HeadBytes)].CopyTo(head);
        return (BinaryPrimitives.ReadUInt64LittleEndian(head), BinaryPrimitives.ReadUInt64LittleEndian(head[8..]));
    }

    private readonly record struct Entry(ulong Hash, ulong Low, ulong High, string Value, int Length);

    // IndexPlusOne is 0 in an empty slot.
    private readonly record struct ManyEntry(ulong Hash, ulong Low, ulong High, int IndexPlusOne, int Length);
}
