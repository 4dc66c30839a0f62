using System.Buffers;

namespace Vigil.Evaluation.Calibration;

/// <summary>Streams the non-blank lines of a JSON Lines file as UTF-8 bytes with their 1-based numbers; memory is one line and a block.</summary>
internal static class JsonLinesFile
{
    private const int BlockSize = 1 << 20;

    public delegate void LineHandler(ReadOnlySpan<byte> line, long number);

    public static void ForEachLine(string path, LineHandler handle, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var length = 0;
            long number = 1;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (length == buffer.Length)
                {
                    // A line longer than the buffer: grow it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = stream.Read(buffer.AsSpan(length));
                length += read;
                var span = buffer.AsSpan(0, length);
                var consumed = 0;
                while (true)
                {
                    var end = span[consumed..].IndexOf((byte)'\n');
                    if (end < 0)
                    {
                        break;
                    }

                    Handle(span.Slice(consumed, end), number++, handle);
                    consumed += end + 1;
                }

                if (read == 0)
                {
                    if (consumed < length)
                    {
                        Handle(span[consumed..], number, handle);
                    }

                    return;
                }

                span[consumed..].CopyTo(buffer);
                length -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Handle(ReadOnlySpan<byte> line, long number, LineHandler handle)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (!line.Trim(" \t"u8).IsEmpty)
        {
            handle(line, number);
        }
    }
}
