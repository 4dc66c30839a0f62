using System.Buffers;

namespace Vigil.Records;

/// <summary>Reads a JSON Lines file line by line as raw UTF-8 (invalid UTF-8 is left for the JSON reader to name), in constant memory beyond the longest line.</summary>
public static class JsonLines
{
    /// <summary>The lines of <paramref name="path"/> in order, blank ones included (see <see cref="JsonLine.IsBlank"/>).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IEnumerable<JsonLine> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var length = 0;
            long bufferOffset = 0; // file offset of buffer[0]
            long number = 1;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = stream.Read(buffer, length, buffer.Length - length);
                var scanFrom = length;
                length += read;
                var start = 0;
                var newline = read == 0 ? -1 : buffer.AsSpan(scanFrom, length - scanFrom).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    newline += scanFrom;
                }

                while (newline >= 0)
                {
                    var end = newline > start && buffer[newline - 1] == (byte)'\r' ? newline - 1 : newline;
                    yield return new JsonLine(number++, bufferOffset + start, buffer.AsSpan(start, end - start).ToArray(), true);
                    start = newline + 1;
                    var next = buffer.AsSpan(start, length - start).IndexOf((byte)'\n');
                    newline = next < 0 ? -1 : start + next;
                }

                if (read == 0)
                {
                    if (length > start)
                    {
                        yield return new JsonLine(number, bufferOffset + start, buffer.AsSpan(start, length - start).ToArray(), false);
                    }

                    yield break;
                }

                buffer.AsSpan(start, length - start).CopyTo(buffer);
                length -= start;
                bufferOffset += start;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
