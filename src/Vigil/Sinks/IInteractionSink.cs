using Vigil.Records;

namespace Vigil.Sinks;

/// <summary>
/// Receives one <see cref="InteractionRecord"/> per finished call. <see cref="Emit"/> is called on the
/// call's own path: it must return at once and never throw (buffer, then write in the background).
/// </summary>
public interface IInteractionSink
{
    /// <summary>False when records are thrown away, so callers can skip building them.</summary>
    bool IsEnabled { get; }

    /// <summary>Hands over a record without blocking; false when it was dropped.</summary>
    bool Emit(InteractionRecord record);
}
