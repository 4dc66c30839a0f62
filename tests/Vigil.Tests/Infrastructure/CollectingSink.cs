using System.Collections.Concurrent;
using Vigil.Records;
using Vigil.Sinks;

namespace Vigil.Tests.Infrastructure;

/// <summary>A sink that keeps every record it is handed.</summary>
public sealed class CollectingSink : IInteractionSink
{
    /// <summary>The records, in the order they were emitted.</summary>
    public ConcurrentQueue<InteractionRecord> Records { get; } = new();

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <inheritdoc />
    public bool Emit(InteractionRecord record)
    {
        Records.Enqueue(record);
        return true;
    }
}
