using Vigil.Records;

namespace Vigil.Sinks;

/// <summary>The default sink: keeps nothing, and tells callers not to build records.</summary>
public sealed class NullInteractionSink : IInteractionSink
{
    /// <summary>The one instance.</summary>
    public static NullInteractionSink Instance { get; } = new();

    /// <inheritdoc />
    public bool IsEnabled => false;

    /// <inheritdoc />
    public bool Emit(InteractionRecord record) => false;
}
