using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Vigil.Records;

namespace Vigil.Reports.FastReading;

/// <summary>
/// Maps ASCII bytes to shared strings so a reader sees each label (model, feature, tier) as one string instead of making
/// a new one per line, and numbers user ids densely so their sums can be kept in an array (<see cref="UserCostSums"/>).
/// Not thread-safe: one per worker. Bounded (512 labels and 64 Ki user ids of at most 128 characters, a few MiB): past
/// its capacity new values are returned as fresh strings, so a high-cardinality field cannot grow it.
/// </summary>
internal sealed class AsciiStringCache
{
    private const int Capacity = 1 << 10;

    /// <summary>Most user ids numbered (see <see cref="UserIdIndex"/>); their indexes are below it.</summary>
    internal const int MaxUserIds = 1 << 16;

    // The user ids' table starts small and doubles up to twice MaxUserIds slots (kept at most half full).
    private const int UserIdFirstSlots = 1 << 10;
    private const int MaxLength = 128;
    private const int HeadBytes = 16;
    private readonly Entry[] _entries = new Entry[Capacity];
    private int _count;

    // The user ids' table holds no references (so it can live on huge pages: with 50,000 users its pages were touched
    // for the first time one page fault each); the strings are kept by index beside it.
    private HugePageArray<UserIdEntry>? _userIds;
    private string[] _userIdValues = [];
    private int _userIdCount;

    /// <summary>
    /// The index of the user id <paramref name="ascii"/> (ASCII only) in the user ids' table, which numbers up to 65,536
    /// ids (growing with them, at most ~4 MiB plus the strings): each id is one string (<see cref="UserIdAt"/>) however
    /// often it recurs, and indexes number the ids densely from 0 in the order first seen, so sums can be kept by index.
    /// -1 and a new string in <paramref name="fresh"/> for an id past the table's capacity; the kept string itself is
    /// not read (the strings are far apart in memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int UserIdIndex(ReadOnlySpan<byte> ascii, out string? fresh)
    {
        fresh = null;
        if (ascii.Length > MaxLength)
        {
            fresh = Encoding.ASCII.GetString(ascii);
            return -1;
        }

        var table = _userIds ??= new HugePageArray<UserIdEntry>(UserIdFirstSlots);
        if (_userIdCount >= table.Length / 2 && table.Length < 2 * MaxUserIds)
        {
            _userIds = table = Grown(table);
        }

        var (low, high) = Head(ascii);
        var hash = StableHash.Of(ascii);
        var mask = table.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        while (true)
        {
            ref var entry = ref table[slot];
            if (entry.IndexPlusOne == 0)
            {
                var value = Encoding.ASCII.GetString(ascii);
                if (_userIdCount >= table.Length / 2)
                {
                    fresh = value;
                    return -1;
                }

                if (_userIdCount == _userIdValues.Length)
                {
                    Array.Resize(ref _userIdValues, Math.Max(UserIdFirstSlots, _userIdValues.Length * 2));
                }

                _userIdValues[_userIdCount] = value;
                entry = new UserIdEntry(hash, low, high, _userIdCount + 1, ascii.Length);
                return _userIdCount++;
            }

            if (entry.Hash == hash && entry.Low == low && entry.High == high && entry.Length == ascii.Length
                && (ascii.Length <= HeadBytes || Ascii.Equals(ascii, _userIdValues[entry.IndexPlusOne - 1])))
            {
                return entry.IndexPlusOne - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>The user id <see cref="UserIdIndex"/> numbered <paramref name="index"/>.</summary>
    public string UserIdAt(int index) => _userIdValues[index];

    /// <summary>
    /// Starts loading the entry <see cref="UserIdIndex"/> will read for <paramref name="ascii"/> into the cache: with many
    /// users the table is far larger than the cache, and asked for early, the entry has arrived by the time it is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchUserId(ReadOnlySpan<byte> ascii)
    {
        if (_userIds is { } table)
        {
            CachePrefetch.Load(in table[(long)(StableHash.Of(ascii) & (ulong)(table.Length - 1))]);
        }
    }

    // Twice the slots, every entry (with its index) placed again by its hash.
    private static HugePageArray<UserIdEntry> Grown(HugePageArray<UserIdEntry> entries)
    {
        var grown = new HugePageArray<UserIdEntry>(entries.Length * 2);
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
    /// beside the entries, as the user ids' table has, measured 4 % slower over a whole report).
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
    private readonly record struct UserIdEntry(ulong Hash, ulong Low, ulong High, int IndexPlusOne, int Length);
}
