namespace Vigil.Server.Storage;

/// <summary>
/// The trace ids of the newest interactions, kept in memory instead of in the database's trace_id index (an LSM-like
/// split). Random trace ids put every insert into that index on a different page, so a commit wrote about one whole
/// page per record to the WAL (10+ KiB per 650-byte record once the table held a million rows). New rows are appended
/// by sequence number only; their ids live here until they are merged into <c>interaction_ids</c> in key order, in
/// chunks that ride along with later commits, so a merge dirties each index page once for many keys.
/// </summary>
/// <remarks>
/// Invariants: every live row with <c>seq</c> above the merge watermark is in the tail; every live row at or below
/// it is in <c>interaction_ids</c>; the tail wins over <c>interaction_ids</c> (whose entry may still name a row that a
/// repeat replaced). After a restart the tail is rebuilt from the rows above the watermark.
/// Only the store's writer (holding its write lock) changes the tail; readers look ids up under <see cref="_gate"/>.
/// Memory is bounded: a merge starts at <c>mergeThreshold</c> ids and each commit merges a quarter more ids than it
/// adds, so the tail holds at most about 1.8 times the threshold.
/// </remarks>
internal sealed class SqliteIdTail(int mergeThreshold)
{
    private readonly Dictionary<string, long> _seqById = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private KeyValuePair<string, long>[]? _merging;
    private Task? _sorting;
    private long _mergingUpTo;
    private int _merged;

    /// <summary>Ids in the tail.</summary>
    public int Count => _seqById.Count;

    /// <summary>The sequence number of <paramref name="traceId"/>'s row if the tail has it (any thread).</summary>
    public bool TryGetSeq(string traceId, out long seq)
    {
        lock (_gate)
        {
            return _seqById.TryGetValue(traceId, out seq);
        }
    }

    /// <summary>The writer's lookup (no lock: only the writer changes the tail).</summary>
    public bool TryGetSeqOnWriter(string traceId, out long seq) => _seqById.TryGetValue(traceId, out seq);

    /// <summary>Records committed rows (writer, after COMMIT).</summary>
    public void Set(IEnumerable<(string TraceId, long Seq)> rows)
    {
        lock (_gate)
        {
            foreach (var (traceId, seq) in rows)
            {
                _seqById[traceId] = seq;
            }
        }
    }

    /// <summary>Empties the tail (writer, when the database is reopened).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _seqById.Clear();
        }

        _merging = null;
        _sorting = null;
        _merged = 0;
    }

    /// <summary>
    /// The next ids to merge, in key order, at most <paramref name="max"/>; empty when no merge is due or its sort is
    /// still running. <paramref name="upTo"/> is the watermark to store with the chunk that ends the merge
    /// (0 for the others). Starts a merge (the sort runs on the thread pool) when the tail has reached the threshold.
    /// </summary>
    public ArraySegment<KeyValuePair<string, long>> NextChunk(int max, long lastSeq, out long upTo)
    {
        upTo = 0;
        if (_merging is null)
        {
            if (_seqById.Count < mergeThreshold)
            {
                return ArraySegment<KeyValuePair<string, long>>.Empty;
            }

            var snapshot = _seqById.ToArray();
            _merging = snapshot;
            _mergingUpTo = lastSeq;
            _merged = 0;
            _sorting = Task.Run(() => Array.Sort(snapshot, static (a, b) => string.CompareOrdinal(a.Key, b.Key)));
        }

        if (_sorting is { IsCompleted: false })
        {
            return ArraySegment<KeyValuePair<string, long>>.Empty;
        }

        _sorting?.GetAwaiter().GetResult();
        _sorting = null;
        var count = Math.Min(max, _merging.Length - _merged);
        if (_merged + count == _merging.Length)
        {
            upTo = _mergingUpTo;
        }

        return new ArraySegment<KeyValuePair<string, long>>(_merging, _merged, count);
    }

    /// <summary>
    /// The chunk is committed to <c>interaction_ids</c>: its ids leave the tail unless a repeat gave them a newer row
    /// meanwhile (that one is merged next time).
    /// </summary>
    public void Merged(ArraySegment<KeyValuePair<string, long>> chunk)
    {
        lock (_gate)
        {
            foreach (var (traceId, seq) in chunk)
            {
                if (_seqById.TryGetValue(traceId, out var current) && current == seq)
                {
                    _seqById.Remove(traceId);
                }
            }
        }

        _merged += chunk.Count;
        if (_merging is not null && _merged >= _merging.Length)
        {
            _merging = null;
            _merged = 0;
        }
    }
}
