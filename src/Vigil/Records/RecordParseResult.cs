namespace Vigil.Records;

/// <summary>A parsed record, or the errors that kept it from being one.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Record">The record, when valid.</param>
/// <param name="Errors">Every broken rule; empty when valid.</param>
public sealed record RecordParseResult<T>(T? Record, IReadOnlyList<FieldError> Errors)
    where T : class
{
    /// <summary>True when <see cref="Record"/> is set.</summary>
    public bool IsValid => Record is not null;
}
