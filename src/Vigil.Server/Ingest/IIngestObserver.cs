using Vigil.Records;

namespace Vigil.Server.Ingest;

/// <summary>
/// Told of committed records in commit order (see <see cref="IngestWriter.AddObserver"/>); must return quickly.
/// Each method does nothing unless the observer overrides it.
/// </summary>
public interface IIngestObserver
{
    /// <summary>Interactions committed (each replaces any earlier one with its trace_id).</summary>
    void OnInteractionsStored(IReadOnlyList<InteractionRecord> stored)
    {
    }

    /// <summary>Feedback committed.</summary>
    void OnFeedbackStored(IReadOnlyList<FeedbackRecord> stored)
    {
    }

    /// <summary>Judge verdicts committed.</summary>
    void OnEvaluationsStored(IReadOnlyList<EvaluationRecord> stored)
    {
    }
}
