using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Vigil.LoadTest;

/// <summary>
/// <c>generate</c>: writes a JSON Lines file of interactions for <c>vigil report</c>, blocks generated in parallel and
/// written in order. The same seed, count and end time give the same file.
/// </summary>
public static class FileGenerator
{
    private const int BlockRecords = 16_384;

    public sealed record Settings(
        string Output,
        long Count,
        int Seed,
        bool WithContent,
        double DuplicateRate,
        DateTime EndUtc,
        TimeSpan Span,
        int Workers,
        bool RandomTraceIds = true);

    public static async Task<int> RunAsync(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var stopwatch = Stopwatch.StartNew();
        var blocks = (settings.Count + BlockRecords - 1) / BlockRecords;
        var runId = (uint)settings.Seed * 2654435761u;
        var start = settings.EndUtc - settings.Span;
        var pending = new Queue<Task<ArrayBufferWriter<byte>>>();
        var buffers = new ConcurrentBag<ArrayBufferWriter<byte>>();
        long bytes = 0;
        await using (var file = new FileStream(settings.Output, FileMode.Create, FileAccess.Write, FileShare.Read, 0, FileOptions.SequentialScan))
        {
            for (long b = 0; b < blocks; b++)
            {
                if (pending.Count >= settings.Workers * 2)
                {
                    bytes += await WriteNextAsync(pending, file, buffers).ConfigureAwait(false);
                }

                var block = b;
                pending.Enqueue(Task.Run(() => Generate(settings, block, runId, start, buffers)));
            }

            while (pending.Count > 0)
            {
                bytes += await WriteNextAsync(pending, file, buffers).ConfigureAwait(false);
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.Error.WriteLine(
            $"generate: {settings.Count:N0} interactions, {bytes / 1048576.0:N1} MiB ({(double)bytes / settings.Count:N0} B/line) " +
            $"to {settings.Output} in {seconds:N2} s ({settings.Count / seconds:N0} lines/s)");
        return 0;
    }

    private static async Task<long> WriteNextAsync(Queue<Task<ArrayBufferWriter<byte>>> pending, FileStream file, ConcurrentBag<ArrayBufferWriter<byte>> buffers)
    {
        var buffer = await pending.Dequeue().ConfigureAwait(false);
        await file.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
        var written = buffer.WrittenCount;

        // Reused: a fresh 10 MB buffer per block costs more in page faults than the generation itself.
        buffer.ResetWrittenCount();
        buffers.Add(buffer);
        return written;
    }

    private static ArrayBufferWriter<byte> Generate(Settings settings, long block, uint runId, DateTime start, ConcurrentBag<ArrayBufferWriter<byte>> buffers)
    {
        var first = block * BlockRecords;
        var count = (int)Math.Min(BlockRecords, settings.Count - first);
        var seed = HashCode.Combine(settings.Seed, block);
        var generator = new InteractionGenerator(seed, settings.WithContent);
        var random = new Random(~seed);
        if (!buffers.TryTake(out var buffer))
        {
            buffer = new ArrayBufferWriter<byte>(count * (settings.WithContent ? 700 : 400));
        }

        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        Span<byte> traceId = stackalloc byte[InteractionGenerator.TraceIdLength];
        var ticksPerRecord = (double)settings.Span.Ticks / settings.Count;
        for (var i = 0; i < count; i++)
        {
            var index = first + i;

            // A repeat re-sends the trace_id of a recent earlier line (a client retry, or an updated record).
            var sequence = index > 0 && settings.DuplicateRate > 0 && random.NextDouble() < settings.DuplicateRate
                ? (ulong)Math.Max(0, index - 1 - random.Next(1000))
                : (ulong)index;
            InteractionGenerator.FormatTraceId(traceId, runId, sequence, settings.RandomTraceIds);
            var jitter = (long)((random.NextDouble() - 0.5) * TimeSpan.TicksPerMinute);
            var ticks = Math.Clamp((long)(index * ticksPerRecord) + jitter, 0, settings.Span.Ticks - 1);
            generator.Write(writer, traceId, start.AddTicks(ticks));
            writer.Flush();
            buffer.Write("\n"u8);
            writer.Reset(buffer);
        }

        return buffer;
    }
}
