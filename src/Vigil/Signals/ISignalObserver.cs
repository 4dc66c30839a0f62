using Vigil.Records;

namespace Vigil.Signals;

/// <summary>
/// Sees every record the signal pipeline counts, beside the window and the metric catalog: the alert engine's counters
/// and the incident responder's recent window are observers. Called on the ingest path: keep it short and never throw.
/// A repeated trace id that replaces an earlier record is not seen again (as the catalog's counters do not count it).
/// </summary>
public interface ISignalObserver
{
    /// <summary>An interaction was counted; <paramref name="restored"/> when read back from the store at start.</summary>
    void OnInteraction(InteractionRecord interaction, bool restored);

    /// <summary>A feedback was counted; <paramref name="restored"/> when read back from the store at start.</summary>
    void OnFeedback(FeedbackRecord feedback, bool restored);

    /// <summary>A verdict was counted; <paramref name="restored"/> when read back from the store at start.</summary>
    void OnEvaluation(EvaluationRecord evaluation, bool restored);
}
