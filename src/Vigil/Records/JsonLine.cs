namespace Vigil.Records;

/// <summary>One line of a JSON Lines file: its 1-based number, the byte offset where it starts, its bytes (no line break), and whether a line break ended it.</summary>
public readonly record struct JsonLine(long Number, long Offset, byte[] Bytes, bool Terminated)
{
    /// <summary>True when the line holds only blanks.</summary>
    public bool IsBlank => Bytes.AsSpan().Trim(" \t\r"u8).IsEmpty;
}
