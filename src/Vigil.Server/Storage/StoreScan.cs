using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>Streams every record of a time range out of a store: interactions, then feedback, then evaluations.</summary>
public static class StoreScan
{
    /// <summary>Hands each record with from ≤ time &lt; to to the matching callback.</summary>
    public static async Task ForEachAsync(IVigilStore store, DateTimeOffset from, DateTimeOffset to,
        Action<InteractionRecord> onInteraction, Action<FeedbackRecord> onFeedback, Action<EvaluationRecord> onEvaluation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(onInteraction);
        ArgumentNullException.ThrowIfNull(onFeedback);
        ArgumentNullException.ThrowIfNull(onEvaluation);
        await foreach (var record in store.ReadInteractionsAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            onInteraction(record);
        }

        await foreach (var feedback in store.ReadFeedbackAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            onFeedback(feedback);
        }

        await foreach (var evaluation in store.ReadEvaluationsAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            onEvaluation(evaluation);
        }
    }
}
