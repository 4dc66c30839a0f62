namespace Vigil.Records;

/// <summary>
/// A user id's index in the string table of the reader that read it (<see cref="AsciiStringCache.KeepOfMany"/>): dense,
/// and the same value always has the same index in the same table, so a cost ledger can sum users in an array instead
/// of looking each line's user up in a map. <see cref="Table"/> is null when the table does not keep the id.
/// </summary>
internal readonly record struct UserSlot(AsciiStringCache? Table, int Index)
{
    /// <summary>The user id, from the table; null without one.</summary>
    public string? User => Table?.ManyValue(Index);
}
