using Vigil.Records;

namespace Vigil.Sinks;

/// <summary>Hands each record to every enabled sink (e.g. the in-process pipeline and the collector); kept when any kept it.</summary>
public sealed class CompositeInteractionSink : IInteractionSink
{
    private readonly IInteractionSink[] _sinks;

    /// <summary>Fans out to <paramref name="sinks"/>; disabled ones are left out.</summary>
    public CompositeInteractionSink(IEnumerable<IInteractionSink> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = [.. sinks.Where(s => s is not null && s.IsEnabled)];
    }

    /// <summary>One sink when only one is enabled, none when none is, else a composite.</summary>
    public static IInteractionSink Of(params IInteractionSink[] sinks)
    {
        var enabled = sinks.Where(s => s is not null && s.IsEnabled).ToArray();
        return enabled.Length switch
        {
            0 => NullInteractionSink.Instance,
            1 => enabled[0],
            _ => new CompositeInteractionSink(enabled),
        };
    }

    /// <inheritdoc />
    public bool IsEnabled => _sinks.Length > 0;

    /// <inheritdoc />
    public bool Emit(InteractionRecord record)
    {
        var kept = false;
        foreach (var sink in _sinks)
        {
            kept |= sink.Emit(record);
        }

        return kept;
    }

    /// <inheritdoc />
    public bool Emit(FeedbackRecord feedback)
    {
        var kept = false;
        foreach (var sink in _sinks)
        {
            kept |= sink.Emit(feedback);
        }

        return kept;
    }
}
