using Vigil.Records;
using Vigil.Signals;
using Vigil.Slo;

namespace Vigil.Incidents;

/// <summary>
/// The incident responder's recent window (<see cref="IncidentOptions.Window"/>, default 5 minutes, in slices of at
/// most 5 seconds), fed by the signal pipeline of either host. Answers that were themselves degraded (a fallback
/// model's, a cached or a static reply) or came from the app's own response cache say nothing of the provider's
/// health, so they are left out.
/// </summary>
public sealed class IncidentWindow : ISignalObserver
{
    /// <summary>Slices of the window at most.</summary>
    public const int MaxSlices = 60;

    /// <summary>Creates an empty window of <paramref name="options"/>' length on <paramref name="timeProvider"/>'s clock.</summary>
    public IncidentWindow(IncidentOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var slices = (int)Math.Clamp(Math.Floor(options.Window.TotalSeconds), 1, MaxSlices);
        Window = new SlidingWindow(timeProvider ?? TimeProvider.System, options.Window, slices);
    }

    /// <summary>The window itself.</summary>
    public SlidingWindow Window { get; }

    private long _callsSeen;

    /// <summary>The signals of the window now.</summary>
    public IncidentSignals Signals() => IncidentSignals.From(Window.Snapshot().Aggregate) with { CallsSeen = Interlocked.Read(ref _callsSeen) };

    /// <inheritdoc />
    public void OnInteraction(InteractionRecord interaction, bool restored)
    {
        if (interaction is not null && interaction.Degradation == Degradation.None && interaction.Cache != CacheOutcome.Hit)
        {
            Interlocked.Increment(ref _callsSeen);
            Window.Add(interaction);
        }
    }

    /// <inheritdoc />
    public void OnFeedback(FeedbackRecord feedback, bool restored)
    {
        // Feedback is not one of the responder's signals.
    }

    /// <inheritdoc />
    public void OnEvaluation(EvaluationRecord evaluation, bool restored)
    {
        if (evaluation is not null)
        {
            Window.Add(evaluation);
        }
    }
}
