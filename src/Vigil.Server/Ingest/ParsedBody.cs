namespace Vigil.Server.Ingest;

/// <summary>The valid records of a posted body, and what was wrong with the others.</summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed record ParsedBody<T>(List<T> Records, List<RecordError> Errors, bool IsBatch, string? BodyError = null)
    where T : class
{
    /// <summary>True when the body itself is broken (not JSON, wrong shape, too many records): nothing is kept.</summary>
    public bool IsUnusable => BodyError is not null;

    /// <summary>The field an unusable body's error is about: the batch property when it was a batch, else the whole body.</summary>
    public string BodyErrorField { get; init; } = "$";
}
