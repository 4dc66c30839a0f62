using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// The collector's durable store. Every write method returns only after its transaction is committed
/// durably (the HTTP API acknowledges with 202 after that). Interactions are keyed by trace_id: a repeated
/// one replaces the earlier record. Feedback may name a trace_id that has no interaction (yet).
/// Implementations: <see cref="SqliteVigilStore"/> (embedded default, WAL) and <see cref="PostgresVigilStore"/>.
/// Ingest requests that carry an <c>Idempotency-Key</c> have it remembered in the transaction of their records
/// (<see cref="IdempotencyKey"/>), for at least <c>24 h</c>.
/// </summary>
public interface IVigilStore : IAsyncDisposable
{
    /// <summary>Creates the schema if it is not there (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or replaces interactions in one transaction and returns, in the same order, the record each
    /// one replaced (null where it was new). Within one batch a later record with the same trace_id
    /// replaces an earlier one (and the earlier one is returned as replaced for it).
    /// </summary>
    Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(IReadOnlyList<InteractionRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="UpsertInteractionsAsync(IReadOnlyList{InteractionRecord}, CancellationToken)"/>, and remembers
    /// <paramref name="keys"/> (of <see cref="IdempotencyScope.Interactions"/>) in the same transaction. A key already
    /// remembered fails the whole call, storing nothing.
    /// </summary>
    Task<IReadOnlyList<InteractionRecord?>> UpsertInteractionsAsync(
        IReadOnlyList<InteractionRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Appends feedback records in one transaction.</summary>
    Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends feedback records and remembers <paramref name="keys"/> (of <see cref="IdempotencyScope.Feedback"/>) in one
    /// transaction. A key already remembered fails the whole call, storing nothing.
    /// </summary>
    Task AddFeedbackAsync(IReadOnlyList<FeedbackRecord> records, IReadOnlyList<IdempotencyKey> keys, CancellationToken cancellationToken = default);

    /// <summary>The accepted counts remembered for those of <paramref name="keys"/> that were seen on <paramref name="scope"/>.</summary>
    Task<IReadOnlyDictionary<string, int>> FindIdempotencyKeysAsync(
        IdempotencyScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Appends evaluation records in one transaction.</summary>
    Task AddEvaluationsAsync(IReadOnlyList<EvaluationRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Interactions with <paramref name="from"/> ≤ timestamp &lt; <paramref name="to"/>, streamed (never all in memory).</summary>
    IAsyncEnumerable<InteractionRecord> ReadInteractionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Feedback with <paramref name="from"/> ≤ timestamp &lt; <paramref name="to"/>, streamed.</summary>
    IAsyncEnumerable<FeedbackRecord> ReadFeedbackAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Evaluations with <paramref name="from"/> ≤ evaluated_at &lt; <paramref name="to"/>, streamed.</summary>
    IAsyncEnumerable<EvaluationRecord> ReadEvaluationsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The interaction with <paramref name="traceId"/>, or null.</summary>
    Task<InteractionRecord?> GetInteractionAsync(string traceId, CancellationToken cancellationToken = default);

    /// <summary>The feedback naming <paramref name="traceId"/>, oldest first.</summary>
    Task<IReadOnlyList<FeedbackRecord>> GetFeedbackForTraceAsync(string traceId, CancellationToken cancellationToken = default);

    /// <summary>The evaluations of <paramref name="traceId"/>, oldest first.</summary>
    Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsForTraceAsync(string traceId, CancellationToken cancellationToken = default);

    /// <summary>Sum of cost_usd of interactions with <paramref name="from"/> ≤ timestamp &lt; <paramref name="to"/>.</summary>
    Task<decimal> SumCostAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>True when the store answers a trivial query.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
