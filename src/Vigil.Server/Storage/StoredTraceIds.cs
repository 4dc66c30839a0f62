using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// The trace ids the store holds, as a Bloom filter (<see cref="TraceIdBloomFilter"/>), so the writer skips the index
/// probe for ids that are certainly new (nearly all of them with random trace ids). Its size is fixed (<c>bytes</c>), so
/// memory stays bounded: past its capacity it answers "maybe" more often and the store simply probes more. It is only
/// trusted once it holds the ids stored before the process started (<see cref="MarkComplete"/>); until then every id
/// is "maybe".
/// </summary>
internal sealed class StoredTraceIds
{
    private readonly TraceIdBloomFilter _filter;
    private volatile bool _complete;

    public StoredTraceIds(int bytes) => _filter = new TraceIdBloomFilter(bytes);

    /// <summary>True once the ids stored before start are in the filter.</summary>
    public bool IsComplete => _complete;

    /// <summary>Adds an id (any thread).</summary>
    public void Add(string traceId) => _filter.Add(traceId);

    /// <summary>False when <paramref name="traceId"/> is certainly not stored; true when it may be (or the filter is not complete).</summary>
    public bool MayContain(string traceId) => !_complete || _filter.MayContain(traceId);

    /// <summary>The ids stored before start have all been added.</summary>
    public void MarkComplete() => _complete = true;
}
