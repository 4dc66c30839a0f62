using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Vigil.Server.Storage;

/// <summary>
/// The trace ids of the newest interactions, kept in memory instead of in the database's trace_id index (an LSM-like
/// split). Random trace ids put every insert into that index on a different page, so a commit wrote about one whole
/// page per record to the WAL (10+ KiB per 650-byte record once the table held a million rows). New rows are appended
/// by sequence number only; their ids live here until they are merged into <c>interaction_ids</c> in key order, in
/// chunks (short transactions of their own while no request waits, or riding along with commits when those fall
/// behind), so a merge dirties each index page once for many keys.
/// </summary>
/// <remarks>
/// Invariants: every live row with <c>seq</c> above the merge watermark is in the tail; every live row at or below
/// it is in <c>interaction_ids</c>; the tail wins over <c>interaction_ids</c> (whose entry may still name a row that a
/// repeat replaced). After a restart the tail is rebuilt from the rows above the watermark.
/// Two generations: new ids go into the current table; a merge freezes it (its ids are sorted on the thread pool and
/// handed out in chunks) and starts a new one, and the frozen table is dropped once its last chunk is committed. The
/// current table is looked at first, so a repeat during a merge wins over its frozen entry.
/// Ids are held as UTF-8 bytes in large blocks, not as strings: at 50,000 records/s a string per id was most of what
/// every gen0 garbage collection had to copy (10+ MB each, pauses of 35–70 ms in the collector's requests).
/// Only the store's writer (holding its write lock) changes the tail; readers look ids up under <see cref="_gate"/>.
/// Memory is bounded: a merge starts at <c>mergeThreshold</c> ids; the store merges chunks while no request waits,
/// and once the tail passes 1.5 times the threshold each commit also merges a quarter more ids than it adds, so the
/// tail holds at most about 2.7 times the threshold.
/// </remarks>
internal sealed class SqliteIdTail(int mergeThreshold)
{
    private const int StackBytes = 512;
    private readonly Lock _gate = new();
    private IdTable _current = new();
    private IdTable? _merging;
    private IdTable? _spare;
    private int[]? _order;
    private Task<int[]>? _sorting;
    private KeyValuePair<string, long>[] _chunk = [];
    private long _mergingUpTo;
    private int _merged;

    /// <summary>Ids in the tail (both generations; an id repeated during a merge counts twice).</summary>
    public int Count => _current.Count + (_merging?.Count ?? 0);

    /// <summary>
    /// True when <see cref="NextChunk"/> has ids to hand out or would start a merge (writer); false while a merge's sort
    /// is still running.
    /// </summary>
    public bool MergeReady => _merging is null ? _current.Count >= mergeThreshold : _sorting is null or { IsCompleted: true };

    /// <summary>The sequence number of <paramref name="traceId"/>'s row if the tail has it (any thread).</summary>
    public bool TryGetSeq(string traceId, out long seq)
    {
        lock (_gate)
        {
            return TryGetSeqOnWriter(traceId, out seq);
        }
    }

    /// <summary>The writer's lookup (no lock: only the writer changes the tail).</summary>
    public bool TryGetSeqOnWriter(string traceId, out long seq)
    {
        byte[]? rented = null;
        var key = Utf8(traceId, stackalloc byte[StackBytes], ref rented);
        var hash = IdTable.HashOf(key);
        var found = _current.TryGet(key, hash, out seq) || (_merging is { } merging && merging.TryGet(key, hash, out seq));
        Return(rented);
        return found;
    }

    /// <summary>Records committed rows (writer, after COMMIT).</summary>
    public void Set(IEnumerable<(string TraceId, long Seq)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        lock (_gate)
        {
            Span<byte> stack = stackalloc byte[StackBytes];
            foreach (var (traceId, seq) in rows)
            {
                byte[]? rented = null;
                var key = Utf8(traceId, stack, ref rented);
                _current.Set(key, IdTable.HashOf(key), seq);
                Return(rented);
            }
        }
    }

    /// <summary>Empties the tail (writer, when the database is reopened).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            // Fresh tables: a sort still running reads the old frozen one.
            _current = new IdTable();
            _merging = null;
            _spare = null;
        }

        _order = null;
        _sorting = null;
        _merged = 0;
    }

    /// <summary>
    /// The next ids to merge, in key order (UTF-8 bytes, SQLite's order for TEXT), at most <paramref name="max"/>;
    /// empty when no merge is due or its sort is still running. <paramref name="upTo"/> is the watermark to store with
    /// the chunk that ends the merge (0 for the others). Starts a merge (the sort runs on the thread pool) when the
    /// tail has reached the threshold. The chunk is valid until the next call.
    /// </summary>
    public ArraySegment<KeyValuePair<string, long>> NextChunk(int max, long lastSeq, out long upTo)
    {
        upTo = 0;
        if (_merging is null)
        {
            if (_current.Count < mergeThreshold)
            {
                return ArraySegment<KeyValuePair<string, long>>.Empty;
            }

            var frozen = _current;
            lock (_gate)
            {
                _merging = frozen;
                _current = _spare ?? new IdTable();
                _spare = null;
            }

            _mergingUpTo = lastSeq;
            _merged = 0;
            _order = null;
            _sorting = Task.Run(frozen.SortedEntries);
        }

        if (_sorting is not null)
        {
            if (!_sorting.IsCompleted)
            {
                return ArraySegment<KeyValuePair<string, long>>.Empty;
            }

            if (!_sorting.IsCompletedSuccessfully)
            {
                // A failed sort (out of memory, say) is tried again rather than thrown into every later commit.
                _sorting = Task.Run(_merging.SortedEntries);
                return ArraySegment<KeyValuePair<string, long>>.Empty;
            }

            _order = _sorting.Result;
            _sorting = null;
        }

        var order = _order!;
        var count = Math.Min(max, order.Length - _merged);
        if (_chunk.Length < count)
        {
            _chunk = new KeyValuePair<string, long>[Math.Max(count, 1024)];
        }

        for (var i = 0; i < count; i++)
        {
            var entry = order[_merged + i];
            _chunk[i] = new KeyValuePair<string, long>(_merging.KeyString(entry), _merging.Seq(entry));
        }

        if (_merged + count == order.Length)
        {
            upTo = _mergingUpTo;
        }

        return new ArraySegment<KeyValuePair<string, long>>(_chunk, 0, count);
    }

    /// <summary>
    /// The chunk is committed to <c>interaction_ids</c>. When it was the merge's last, the frozen table goes (an id
    /// repeated meanwhile has its newer row in the current table, merged next time).
    /// </summary>
    public void Merged(ArraySegment<KeyValuePair<string, long>> chunk)
    {
        Array.Clear(_chunk, 0, chunk.Count);
        _merged += chunk.Count;
        if (_merging is { } merging && _order is { } order && _merged >= order.Length)
        {
            lock (_gate)
            {
                _merging = null;
            }

            merging.Reset();
            _spare = merging;
            _order = null;
            _merged = 0;
        }
    }

    // A trace id's UTF-8 bytes: in stack (enough for the 128 characters the API allows) or in a rented array.
    private static ReadOnlySpan<byte> Utf8(string value, Span<byte> stack, ref byte[]? rented)
    {
        ArgumentNullException.ThrowIfNull(value);
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = max <= stack.Length ? stack : (rented = ArrayPool<byte>.Shared.Rent(max));
        return buffer[..Encoding.UTF8.GetBytes(value, buffer)];
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// An insert-only open-addressing map from id bytes to seq. The ids' bytes sit in blocks of 1 MiB, the entries in
    /// parallel arrays: no object per id.
    /// </summary>
    private sealed class IdTable
    {
        private const int BlockBytes = 1 << 20;
        private readonly List<byte[]> _blocks = [];
        private int[] _slots = new int[1024];
        private int[] _hashes = new int[512];
        private long[] _seqs = new long[512];
        private int[] _blockOf = new int[512];
        private int[] _offsetOf = new int[512];
        private int[] _lengthOf = new int[512];
        private int _blockUsed = BlockBytes;
        private int _blockCount;

        public int Count { get; private set; }

        // HashCode is seeded per process, so ids an attacker chose cannot be made to collide on purpose.
        public static int HashOf(ReadOnlySpan<byte> bytes)
        {
            var hash = default(HashCode);
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }

        public long Seq(int entry) => _seqs[entry];

        public string KeyString(int entry) => Encoding.UTF8.GetString(Key(entry));

        public bool TryGet(ReadOnlySpan<byte> key, int hash, out long seq)
        {
            var entry = Find(key, hash, out _);
            seq = entry >= 0 ? _seqs[entry] : 0;
            return entry >= 0;
        }

        public void Set(ReadOnlySpan<byte> key, int hash, long seq)
        {
            var entry = Find(key, hash, out var slot);
            if (entry >= 0)
            {
                _seqs[entry] = seq;
                return;
            }

            if ((Count + 1) * 2 > _slots.Length)
            {
                Grow();
                Find(key, hash, out slot);
            }

            if (Count == _seqs.Length)
            {
                var size = Count * 2;
                Array.Resize(ref _hashes, size);
                Array.Resize(ref _seqs, size);
                Array.Resize(ref _blockOf, size);
                Array.Resize(ref _offsetOf, size);
                Array.Resize(ref _lengthOf, size);
            }

            entry = Count++;
            _hashes[entry] = hash;
            _seqs[entry] = seq;
            Store(entry, key);
            _slots[slot] = entry + 1;
        }

        /// <summary>The entries in key order (ordinal on the UTF-8 bytes).</summary>
        /// <remarks>
        /// Sorted by 8-byte integer keys taken after the prefix all ids share, then runs of equal keys by their whole
        /// bytes: a comparison sort of the bytes took ~175 ms of CPU for 200,000 ids, competing with requests.
        /// </remarks>
        public int[] SortedEntries()
        {
            var order = new int[Count];
            var keys = new ulong[Count];
            var common = Count == 0 ? 0 : Key(0).Length;
            for (var i = 1; i < Count && common > 0; i++)
            {
                common = Math.Min(common, Key(0).CommonPrefixLength(Key(i)));
            }

            Span<byte> window = stackalloc byte[8];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
                var rest = Key(i)[common..];
                window.Clear();
                rest[..Math.Min(8, rest.Length)].CopyTo(window);
                keys[i] = BinaryPrimitives.ReadUInt64BigEndian(window);
            }

            Array.Sort(keys, order);
            var byBytes = Comparer<int>.Create((a, b) => Key(a).SequenceCompareTo(Key(b)));
            for (var start = 0; start < order.Length;)
            {
                var end = start + 1;
                while (end < order.Length && keys[end] == keys[start])
                {
                    end++;
                }

                if (end - start > 1)
                {
                    Array.Sort(order, start, end - start, byBytes);
                }

                start = end;
            }

            return order;
        }

        /// <summary>Empties the table, keeping its arrays and blocks for reuse.</summary>
        public void Reset()
        {
            Array.Clear(_slots);
            Count = 0;
            _blockCount = 0;
            _blockUsed = BlockBytes;
        }

        private ReadOnlySpan<byte> Key(int entry) => _blocks[_blockOf[entry]].AsSpan(_offsetOf[entry], _lengthOf[entry]);

        // The entry holding key, or -1 with slot the empty slot where it would go.
        private int Find(ReadOnlySpan<byte> key, int hash, out int slot)
        {
            var mask = _slots.Length - 1;
            slot = hash & mask;
            while (true)
            {
                var entry = _slots[slot] - 1;
                if (entry < 0)
                {
                    return -1;
                }

                if (_hashes[entry] == hash && Key(entry).SequenceEqual(key))
                {
                    return entry;
                }

                slot = (slot + 1) & mask;
            }
        }

        private void Grow()
        {
            var slots = new int[_slots.Length * 2];
            var mask = slots.Length - 1;
            for (var entry = 0; entry < Count; entry++)
            {
                var slot = _hashes[entry] & mask;
                while (slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                slots[slot] = entry + 1;
            }

            _slots = slots;
        }

        private void Store(int entry, ReadOnlySpan<byte> key)
        {
            if (_blockCount == 0 || _blockUsed + key.Length > _blocks[_blockCount - 1].Length)
            {
                // Reuse the next kept block if it is large enough, else a new one (an id longer than a block gets its own).
                if (_blockCount < _blocks.Count && _blocks[_blockCount].Length >= key.Length)
                {
                    _blockCount++;
                }
                else
                {
                    _blocks.Insert(_blockCount++, new byte[Math.Max(BlockBytes, key.Length)]);
                }

                _blockUsed = 0;
            }

            var block = _blockCount - 1;
            key.CopyTo(_blocks[block].AsSpan(_blockUsed));
            _blockOf[entry] = block;
            _offsetOf[entry] = _blockUsed;
            _lengthOf[entry] = key.Length;
            _blockUsed += key.Length;
        }
    }
}
