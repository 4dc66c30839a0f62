using System.Text.Json.Serialization.Metadata;

namespace Vigil.Sinks;

/// <summary>One kind of record on its way to the collector: its buffer, its endpoint, its JSON, its drop counter.</summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class CollectorLane<T>(string name, string path, string batchProperty, JsonTypeInfo<T> json, BatchQueue<T> queue)
    where T : class
{
    private int _full;

    /// <summary>The <c>record</c> label of <c>vigil_sink_dropped_total</c>: <c>interaction</c> or <c>feedback</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The path below the collector's base URL, e.g. <c>v1/interactions</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The batch body's property, e.g. <c>interactions</c>.</summary>
    public string BatchProperty { get; } = batchProperty;

    /// <summary>How a record is written.</summary>
    public JsonTypeInfo<T> Json { get; } = json;

    /// <summary>The buffer.</summary>
    public BatchQueue<T> Queue { get; } = queue;

    /// <summary>The background task that sends this lane's batches.</summary>
    public Task Pump { get; set; } = Task.CompletedTask;

    /// <summary>True the first time the buffer is found full since it last had room (so a full buffer is logged once).</summary>
    public bool MarkFull() => Interlocked.Exchange(ref _full, 1) == 0;

    /// <summary>The buffer has room again.</summary>
    public void MarkRoom() => Volatile.Write(ref _full, 0);
}
