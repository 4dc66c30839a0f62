namespace Vigil.Reports;

/// <summary>A rejected line of a JSON Lines file: where it is and what is wrong.</summary>
/// <param name="File">The file's path.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Message">The field and what is wrong with it.</param>
public sealed record LineError(string File, long Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Message}";
}
