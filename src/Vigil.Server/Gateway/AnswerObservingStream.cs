using System.Buffers;

namespace Vigil.Server.Gateway;

/// <summary>
/// The caller's response body, seen on the way out: every byte the forwarder writes goes on to the caller as it comes
/// (and each flush is passed on, so SSE chunks are not held back), and a copy is read into an <see cref="UpstreamAnswer"/>:
/// a JSON body at the end, an SSE stream event by event. When the gateway itself asked for usage
/// (<see cref="GatewayRequest.AddedUsage"/>), the usage-only event is kept from the caller, who did not ask for it; the
/// stream then passes whole events only.
/// </summary>
internal sealed class AnswerObservingStream : Stream
{
    // A JSON answer larger than this is passed on but not read (no usage, no classification).
    private const int MaxJsonBody = 4 << 20;

    // An SSE event longer than this is passed on but not read.
    private const int MaxEvent = 1 << 20;

    private readonly Stream _inner;
    private readonly UpstreamAnswer _answer;
    private readonly bool _dropUsageEvent;
    private readonly Func<bool> _isEventStream;
    private readonly GatewayTiming? _timing;
    private readonly ArrayBufferWriter<byte> _pending = new();
    private bool? _sse;
    private bool _overflow;

    public AnswerObservingStream(Stream inner, UpstreamAnswer answer, bool dropUsageEvent, Func<bool> isEventStream, GatewayTiming? timing = null)
    {
        _timing = timing;
        _inner = inner;
        _answer = answer;
        _dropUsageEvent = dropUsageEvent;
        _isEventStream = isEventStream;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The body is complete: reads a JSON answer; passes on an SSE tail that did not end with a blank line.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_sse == true)
        {
            if (_pending.WrittenCount > 0)
            {
                await ProcessEventsAsync(final: true, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (_sse == false && !_overflow && _pending.WrittenCount > 0)
        {
            _answer.ReadBody(_pending.WrittenMemory);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _sse ??= _isEventStream();
        if (_sse == false)
        {
            await WriteOutAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (!_overflow)
            {
                _overflow = _pending.WrittenCount + buffer.Length > MaxJsonBody;
                if (_overflow)
                {
                    _pending.Clear();
                }
                else
                {
                    _pending.Write(buffer.Span);
                }
            }

            return;
        }

        if (!_dropUsageEvent)
        {
            await WriteOutAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        _pending.Write(buffer.Span);
        await ProcessEventsAsync(final: false, cancellationToken).ConfigureAwait(false);
        if (_pending.WrittenCount > MaxEvent)
        {
            // An event too long to read: passed on (when this stream passes whole events) and not read.
            if (_dropUsageEvent)
            {
                await WriteOutAsync(_pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            _pending.Clear();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    private ValueTask WriteOutAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_timing is { FirstByteOut: 0 } timing && !bytes.IsEmpty)
        {
            timing.FirstByteOut = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        return _inner.WriteAsync(bytes, cancellationToken);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    // Takes every complete event (ended by a blank line) off the pending bytes: reads it, and, when this stream passes
    // whole events, writes it on unless it is the usage chunk the caller did not ask for.
    private async ValueTask ProcessEventsAsync(bool final, CancellationToken cancellationToken)
    {
        var data = _pending.WrittenMemory;
        var consumed = 0;
        while (true)
        {
            var rest = data.Span[consumed..];
            var end = EventEnd(rest, out var separator);
            if (end < 0)
            {
                if (!final || rest.IsEmpty)
                {
                    break;
                }

                end = rest.Length;
                separator = 0;
            }

            var length = end + separator;
            var evt = data.Slice(consumed, length);
            var drop = ReadEvent(evt[..end]);
            if (_dropUsageEvent && !drop)
            {
                await WriteOutAsync(evt, cancellationToken).ConfigureAwait(false);
            }

            consumed += length;
        }

        if (consumed > 0)
        {
            var left = data[consumed..].ToArray();
            _pending.Clear();
            _pending.Write(left);
        }
    }

    // The index where the first event ends and the length of the blank line after it ("\n\n" or "\r\n\r\n"); -1 when none.
    private static int EventEnd(ReadOnlySpan<byte> bytes, out int separator)
    {
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] != '\n')
            {
                continue;
            }

            if (bytes[i + 1] == '\n')
            {
                separator = 2;
                return i;
            }

            if (bytes[i + 1] == '\r' && i + 2 < bytes.Length && bytes[i + 2] == '\n')
            {
                separator = 3;
                return i;
            }
        }

        separator = 0;
        return -1;
    }

    // Reads an event's data lines as one chunk; true when it is the usage-only chunk the gateway asked for.
    private bool ReadEvent(ReadOnlyMemory<byte> evt)
    {
        // Almost every event is one data line: read it where it lies; join several (the SSE rule) only when there are.
        ReadOnlyMemory<byte> json = default;
        ArrayBufferWriter<byte>? joined = null;
        var rest = evt;
        while (!rest.IsEmpty)
        {
            var newline = rest.Span.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? default : rest[(newline + 1)..];
            if (!line.Span.StartsWith("data:"u8))
            {
                continue;
            }

            var value = line["data:".Length..];
            value = value.Span.EndsWith("\r"u8) ? value[..^1] : value;
            value = value.Span.StartsWith(" "u8) ? value[1..] : value;
            if (json.IsEmpty && joined is null)
            {
                json = value;
                continue;
            }

            joined ??= new ArrayBufferWriter<byte>();
            if (joined.WrittenCount == 0)
            {
                joined.Write(json.Span);
            }

            joined.Write("\n"u8);
            joined.Write(value.Span);
        }

        if (joined is not null)
        {
            json = joined.WrittenMemory;
        }

        if (json.IsEmpty || json.Span.SequenceEqual("[DONE]"u8))
        {
            return false;
        }

        var usageOnly = _answer.ReadChunk(json);
        return usageOnly && _dropUsageEvent;
    }
}
