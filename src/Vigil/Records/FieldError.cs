namespace Vigil.Records;

/// <summary>One broken rule of a record: the snake_case field it is about and what is wrong.</summary>
/// <param name="Field">The field, e.g. <c>latency_ms</c> or <c>attributes.region</c>; <c>$</c> for the whole record.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record FieldError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
