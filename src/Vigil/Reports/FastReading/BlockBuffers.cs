using System.Collections.Concurrent;

namespace Vigil.Reports.FastReading;

/// <summary>
/// The read blocks of <see cref="LineBlockReader"/>: the usual-size buffers sit on huge pages (see
/// <see cref="HugePageArray{T}"/>) and are made once and reused. A run needs as many as there are blocks queued, parsed
/// and being read at once (2 per worker queued, 1 per worker parsed, the one being filled and the next), and a fresh
/// one costs a page fault per page. A larger one (a line past the block size) is a plain array, dropped after use.
/// </summary>
internal sealed class BlockBuffers
{
    private readonly ConcurrentBag<Buffer> _free = [];

    /// <summary>A buffer of at least <paramref name="length"/> bytes, not zeroed.</summary>
    public Buffer Rent(int length)
    {
        if (length > LineBlockReader.BlockSize)
        {
            return new Buffer(length);
        }

        return _free.TryTake(out var buffer) ? buffer : new Buffer(new HugePageArray<byte>(LineBlockReader.BlockSize, zeroed: false));
    }

    /// <summary>Takes a buffer back (a usual-size one for reuse).</summary>
    public void Return(Buffer buffer)
    {
        if (buffer.Reused)
        {
            _free.Add(buffer);
        }
    }

    /// <summary>A block's memory: of the usual size on huge pages, or a larger plain array for a longer line.</summary>
    public sealed class Buffer
    {
        private readonly byte[] _array;
        private readonly int _offset;

        public Buffer(HugePageArray<byte> pages)
        {
            (_array, _offset) = pages.Segment;
            Length = pages.Length;
            Reused = true;
        }

        public Buffer(int length)
        {
            _array = new byte[length];
            Length = length;
        }

        public int Length { get; }

        public bool Reused { get; }

        public Span<byte> Span => _array.AsSpan(_offset, Length);
    }
}
