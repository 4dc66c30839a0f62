using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Vigil.Records;

namespace Vigil.Reports;

/// <summary>
/// Computes a <see cref="SignalAggregate"/> from JSON Lines files (<c>vigil report</c>) in memory that stays
/// flat as the file grows: the file is streamed in blocks, parsed on every core, and summed per worker.
/// A repeated trace_id replaces the earlier record (the last line wins), found with a first, light pass
/// through a fixed-size filter. A bad line is reported with its number and the lines around it are kept.
/// </summary>
public sealed class JsonlReportReader
{
    private const int BlockSize = 4 << 20;
    private readonly InteractionNormalizer _normalizer;
    private readonly int _workers;

    /// <summary>Creates a reader.</summary>
    public JsonlReportReader(InteractionNormalizer normalizer, int? workers = null)
    {
        _normalizer = normalizer ?? throw new ArgumentNullException(nameof(normalizer));
        _workers = Math.Max(1, workers ?? Environment.ProcessorCount);
    }

    /// <summary>Sums the interactions of <paramref name="path"/> with from ≤ timestamp &lt; to.</summary>
    public async Task<SignalAggregate> ReadInteractionsAsync(string path, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onError);
        var maybeRepeated = await FindMaybeRepeatedIdsAsync(path, _workers, cancellationToken).ConfigureAwait(false);
        var parts = new SignalAggregate[_workers];
        var held = new Dictionary<string, (long Line, InteractionRecord Record)>[_workers];
        await ForEachLineAsync(path, parts.Length, (worker, line, number) =>
        {
            var result = RecordParser.ParseInteraction(line, figuresOnly: true);
            if (result.Record is not { } record)
            {
                onError(new LineError(path, number, string.Join("; ", result.Errors)));
                return;
            }

            if (maybeRepeated.ContainsKey(record.TraceId))
            {
                // Which line of a repeated id is last is known only at the end: hold the latest seen.
                var mine = held[worker] ??= new Dictionary<string, (long, InteractionRecord)>(StringComparer.Ordinal);
                if (!mine.TryGetValue(record.TraceId, out var current) || current.Line < number)
                {
                    mine[record.TraceId] = (number, record);
                }

                return;
            }

            if (InRange(record, from, to))
            {
                (parts[worker] ??= new SignalAggregate()).Add(_normalizer.Normalize(record));
            }
        }, cancellationToken).ConfigureAwait(false);

        var total = new SignalAggregate();
        foreach (var part in parts)
        {
            if (part is not null)
            {
                total.Merge(part);
            }
        }

        var last = new Dictionary<string, (long Line, InteractionRecord Record)>(StringComparer.Ordinal);
        foreach (var (id, candidate) in held.Where(h => h is not null).SelectMany(h => h))
        {
            if (!last.TryGetValue(id, out var current) || current.Line < candidate.Line)
            {
                last[id] = candidate;
            }
        }

        foreach (var (_, (_, record)) in last.OrderBy(p => p.Value.Line))
        {
            if (InRange(record, from, to))
            {
                total.Add(_normalizer.Normalize(record));
            }
        }

        return total;
    }

    private static bool InRange(InteractionRecord record, DateTimeOffset? from, DateTimeOffset? to) =>
        (from is not { } f || record.Timestamp >= f) && (to is not { } t || record.Timestamp < t);

    /// <summary>Adds the feedback of <paramref name="path"/> with from ≤ timestamp &lt; to (undated feedback counts) to <paramref name="into"/>.</summary>
    public Task ReadFeedbackAsync(string path, SignalAggregate into, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, CancellationToken cancellationToken = default) =>
        ReadSmallAsync(path, into, onError, (aggregate, line, number) =>
        {
            var result = RecordParser.ParseFeedback(line);
            if (result.Record is not { } record)
            {
                return string.Join("; ", result.Errors);
            }

            if (record.Timestamp is not { } ts || ((from is null || ts >= from) && (to is null || ts < to)))
            {
                aggregate.Add(record);
            }

            return null;
        }, cancellationToken);

    /// <summary>Adds the evaluations of <paramref name="path"/> with from ≤ evaluated_at &lt; to (undated ones count) to <paramref name="into"/>.</summary>
    public Task ReadEvaluationsAsync(string path, SignalAggregate into, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, CancellationToken cancellationToken = default) =>
        ReadSmallAsync(path, into, onError, (aggregate, line, number) =>
        {
            var result = RecordParser.ParseEvaluation(line);
            if (result.Record is not { } record)
            {
                return string.Join("; ", result.Errors);
            }

            if (record.EvaluatedAt is not { } ts || ((from is null || ts >= from) && (to is null || ts < to)))
            {
                aggregate.Add(record);
            }

            return null;
        }, cancellationToken);

    private static async Task ReadSmallAsync(string path, SignalAggregate into, Action<LineError> onError,
        Func<SignalAggregate, ReadOnlySpan<byte>, long, string?> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(onError);
        var gate = new Lock();
        await ForEachLineAsync(path, 1, (_, line, number) =>
        {
            lock (gate)
            {
                if (handle(into, line, number) is { } error)
                {
                    onError(new LineError(path, number, error));
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    // Pass one, on every core: the trace_id of every line through a fixed-size filter. An id that appears
    // twice is certainly flagged (by whichever of its lines comes second); a few single ids are flagged by
    // the filter's errors, which costs only holding their record until the end.
    private static async Task<ConcurrentDictionary<string, byte>> FindMaybeRepeatedIdsAsync(string path, int workers, CancellationToken cancellationToken)
    {
        var filter = new TraceIdFilter(new FileInfo(path).Length / 64);
        var flagged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        await ForEachLineAsync(path, workers, (_, line, _) =>
        {
            Span<byte> scratch = stackalloc byte[512];
            var id = TraceIdBytes(line, scratch);
            if (!id.IsEmpty && filter.AddAndCheck(id))
            {
                flagged.TryAdd(System.Text.Encoding.UTF8.GetString(id), 0);
            }
        }, cancellationToken).ConfigureAwait(false);
        return flagged;
    }

    // The UTF-8 bytes of a line's top-level trace_id (unescaped into scratch when needed); empty when there is none.
    private static ReadOnlySpan<byte> TraceIdBytes(ReadOnlySpan<byte> line, Span<byte> scratch)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return [];
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("trace_id"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.HasValueSequence)
                    {
                        return [];
                    }

                    if (!reader.ValueIsEscaped)
                    {
                        return line.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    }

                    var written = reader.ValueSpan.Length <= scratch.Length ? reader.CopyString(scratch) : 0;
                    return scratch[..written];
                }

                if (!reader.TrySkip())
                {
                    return [];
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return [];
    }

    private delegate void LineHandler(int worker, ReadOnlySpan<byte> line, long number);

    private static async Task ForEachLineAsync(string path, int workers, LineHandler handle, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<Block>(new BoundedChannelOptions(workers * 2) { SingleWriter = true });
        var consumers = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            await foreach (var block in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var span = block.Buffer.AsSpan(0, block.Length);
                    var number = block.FirstLine;
                    while (!span.IsEmpty)
                    {
                        var end = span.IndexOf((byte)'\n');
                        var line = end >= 0 ? span[..end] : span;
                        span = end >= 0 ? span[(end + 1)..] : [];
                        if (!line.IsEmpty && line[^1] == (byte)'\r')
                        {
                            line = line[..^1];
                        }

                        if (!line.Trim((byte)' ').IsEmpty)
                        {
                            handle(worker, line, number);
                        }

                        number++;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(block.Buffer);
                }
            }
        }, cancellationToken)).ToArray();

        try
        {
            await Task.Factory.StartNew(() => ProduceBlocksAsync(path, channel.Writer, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap().ConfigureAwait(false);
        }
        finally
        {
            channel.Writer.TryComplete();
            await Task.WhenAll(consumers).ConfigureAwait(false);
        }
    }

    private static async Task ProduceBlocksAsync(string path, ChannelWriter<Block> writer, CancellationToken cancellationToken)
    {
        // Synchronous reads on a thread of their own: the page cache answers at once, and async file I/O adds a hop per block.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        var carry = ArrayPool<byte>.Shared.Rent(BlockSize);
        var carryLength = 0;
        long nextLine = 1;
        while (true)
        {
            if (carryLength == carry.Length)
            {
                // A line longer than the buffer: grow it.
                var bigger = ArrayPool<byte>.Shared.Rent(carry.Length * 2);
                carry.AsSpan(0, carryLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(carry);
                carry = bigger;
            }

            var read = stream.Read(carry.AsSpan(carryLength));
            var length = carryLength + read;
            if (read == 0)
            {
                if (length > 0)
                {
                    await writer.WriteAsync(new Block(carry, length, nextLine), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(carry);
                }

                return;
            }

            var lastNewline = carry.AsSpan(0, length).LastIndexOf((byte)'\n');
            if (lastNewline < 0)
            {
                carryLength = length;
                continue;
            }

            var next = ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, length - lastNewline - 1));
            carryLength = length - lastNewline - 1;
            carry.AsSpan(lastNewline + 1, carryLength).CopyTo(next);
            var lines = carry.AsSpan(0, lastNewline + 1).Count((byte)'\n');
            await writer.WriteAsync(new Block(carry, lastNewline + 1, nextLine), cancellationToken).ConfigureAwait(false);
            nextLine += lines;
            carry = next;
        }
    }

    private readonly record struct Block(byte[] Buffer, int Length, long FirstLine);
}
