using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Vigil.Reports;

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

    /// <summary>Most values kept for a field with many values (see <see cref="GetOfMany"/>); their indexes are below it.</summary>
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

    /// <summary>The string of <paramref name="ascii"/> (ASCII only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> ascii) => Get(ascii, _entries, ref _count, out _);

    /// <summary>
    /// The string of <paramref name="ascii"/> (ASCII only) for a field with many values, such as user ids: a table of
    /// its own that keeps up to 65,536 strings (growing with them, at most ~4 MiB plus the strings), so each value is one
    /// string however often it recurs, and maps keyed by it compare references instead of characters.
    /// <paramref name="index"/> numbers the kept values densely from 0 in the order first seen (the same for the same
    /// value, below <see cref="ManyKept"/>), or is -1 when the value is not kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string GetOfMany(ReadOnlySpan<byte> ascii, out int index)
    {
        index = KeepOfMany(ascii, out var fresh);
        return fresh ?? _manyValues[index];
    }

    /// <summary>
    /// <see cref="GetOfMany"/> without reading the kept string: the index of <paramref name="ascii"/>'s value (then
    /// <paramref name="fresh"/> is null; <see cref="ManyValue"/> has the string), or -1 and a new string for a value that
    /// is not kept. The strings are far apart in memory, and a reader that sums by index never needs them.
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
        var hash = Hash(ascii);
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

    /// <summary>The value <see cref="GetOfMany"/> kept at <paramref name="index"/>.</summary>
    public string ManyValue(int index) => _manyValues[index];

    /// <summary>
    /// Starts loading the entry <see cref="GetOfMany"/> will read for <paramref name="ascii"/> into the cache: with many
    /// values the table is far larger than the cache, and asked for early, the entry has arrived by the time it is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void PrefetchOfMany(ReadOnlySpan<byte> ascii)
    {
        if (Sse.IsSupported && _many is { } many)
        {
            fixed (ManyEntry* entry = &many[(long)(Hash(ascii) & (ulong)(many.Length - 1))])
            {
                Sse.Prefetch0(entry);
            }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static string Get(ReadOnlySpan<byte> ascii, Entry[] entries, ref int count, out int kept)
    {
        kept = -1;
        if (ascii.Length > MaxLength)
        {
            return Encoding.ASCII.GetString(ascii);
        }

        // A value of up to 16 bytes is compared with the copy of its head in its entry, not with its string: reading
        // the string too would be a second cache miss.
        var (low, high) = Head(ascii);
        var hash = Hash(ascii);
        var mask = entries.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        while (true)
        {
            ref var entry = ref entries[slot];
            if (entry.Value is null)
            {
                var value = Encoding.ASCII.GetString(ascii);
                if (count < entries.Length / 2)
                {
                    entry = new Entry(hash, low, high, value, count, ascii.Length);
                    kept = count++;
                }

                return value;
            }

            if (entry.Hash == hash && entry.Low == low && entry.High == high && entry.Length == ascii.Length
                && (ascii.Length <= HeadBytes || Ascii.Equals(ascii, entry.Value)))
            {
                kept = entry.Index;
                return entry.Value;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// <see cref="Hash(ReadOnlySpan{byte})"/> of <paramref name="value"/>'s UTF-8 bytes: the same in every process (unlike
    /// <see cref="string.GetHashCode()"/>), so what is chosen by it does not change between runs.
    /// </summary>
    public static ulong Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length <= 512)
        {
            Span<byte> bytes = stackalloc byte[length];
            return Hash(bytes[..Encoding.UTF8.GetBytes(value, bytes)]);
        }

        return Hash(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>A fast 64-bit hash of a short byte string (not for untrusted keys in a hash table an attacker can fill).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong Prime = 0x9E3779B97F4A7C15;
        var h = (ulong)bytes.Length * Prime;
        while (bytes.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Prime;
            h ^= h >> 29;
            bytes = bytes[8..];
        }

        if (bytes.Length > 0)
        {
            ulong tail = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                tail |= (ulong)bytes[i] << (8 * i);
            }

            h = (h ^ tail) * Prime;
            h ^= h >> 29;
        }

        h *= 0xBF58476D1CE4E5B9;
        return h ^ (h >> 31);
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

    private readonly record struct Entry(ulong Hash, ulong Low, ulong High, string Value, int Index, int Length);

    // IndexPlusOne is 0 in an empty slot.
    private readonly record struct ManyEntry(ulong Hash, ulong Low, ulong High, int IndexPlusOne, int Length);
}
