namespace Vigil.Server.Storage;

/// <summary>
/// An ingest request's <c>Idempotency-Key</c>, remembered with its batch (in the same transaction) together with the
/// number of records its answer accepted, so that a repeat of the request is answered alike and stores nothing.
/// </summary>
/// <param name="Key">The header's value, as sent (1 to 200 printable ASCII characters).</param>
/// <param name="Accepted">The <c>accepted</c> count of the first answer.</param>
public readonly record struct IdempotencyKey(string Key, int Accepted);
