using Vigil.Records;

namespace Vigil.Sinks;

/// <summary>
/// Receives one <see cref="InteractionRecord"/> per finished call, and the feedback an app records through Vigil.
/// <c>Emit</c> is called on the caller's own path: it must return at once and never throw (buffer, then write in the
/// background).
/// </summary>
public interface IInteractionSink
{
    /// <summary>False when records are thrown away, so callers can skip building them.</summary>
    bool IsEnabled { get; }

    /// <summary>Hands over a record without blocking; false when it was dropped.</summary>
    bool Emit(InteractionRecord record);

    /// <summary>Hands over a feedback without blocking; false when it was dropped (the default keeps none).</summary>
    bool Emit(FeedbackRecord feedback) => false;
}
