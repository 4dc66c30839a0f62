using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Vigil.Reports.FastReading;

/// <summary>
/// Streams a JSON Lines file in blocks of whole lines and hands their lines to parser threads, one per worker, in memory
/// that stays flat as the file grows. The file is read on the caller's thread; the blocks' buffers are reused
/// (<see cref="BlockBuffers"/>).
/// </summary>
internal static class LineBlockReader
{
    /// <summary>The usual size of a block (a longer line gets a block of its own, as long as it).</summary>
    public const int BlockSize = 4 << 20;

    /// <summary>Handles one line (a line feed and a carriage return before it cut off; never blank), with its number from 1.</summary>
    public delegate void LineHandler(int worker, ReadOnlySpan<byte> line, long number);

    /// <summary>
    /// Reads the plainly valid line that starts a block's rest and answers its length, or -1 to have it split off and
    /// given to the <see cref="LineHandler"/>.
    /// </summary>
    public delegate int PlainLineHandler(int worker, ReadOnlySpan<byte> text, long number);

    /// <summary>Runs <see cref="ForEachLine"/> on a thread of its own.</summary>
    public static Task ForEachLineAsync(string path, int workers, BlockBuffers buffers, LineHandler handle, CancellationToken cancellationToken,
        PlainLineHandler? plain = null) =>
        Task.Factory.StartNew(() => ForEachLine(path, workers, buffers, handle, plain, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    // The file is read on this thread and its blocks parsed on threads of their own, all blocking: on the thread pool the
    // second parser waited half a second for the pool to add a thread (it starts one per core, and the reader's
    // continuations took one), a third of a short run.
    private static void ForEachLine(string path, int workers, BlockBuffers buffers, LineHandler handle, PlainLineHandler? plain,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var blocks = new BlockingCollection<Block>(workers * 2);
        Exception? failure = null;
        var threads = new List<Thread>(workers);
        try
        {
            for (var index = 0; index < workers; index++)
            {
                var worker = index;
                var thread = new Thread(() =>
                {
                    try
                    {
                        foreach (var block in blocks.GetConsumingEnumerable(stop.Token))
                        {
                            try
                            {
                                ForEachLineOf(block, worker, handle, plain);
                            }
                            finally
                            {
                                buffers.Return(block.Buffer);
                            }
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        // stopped: the caller's cancellation or another thread's failure, reported below
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref failure, ex, null);
                        stop.Cancel();
                    }
                })
                { IsBackground = true, Name = "Vigil report parser" };
                thread.Start();
                threads.Add(thread);
            }

            ProduceBlocks(path, blocks, buffers, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the caller's cancellation or a parser's failure, reported below
        }
        catch
        {
            stop.Cancel(); // the reader failed: the parsers stop too, instead of finishing the queued blocks first
            throw;
        }
        finally
        {
            blocks.CompleteAdding();
            foreach (var thread in threads)
            {
                thread.Join();
            }
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    // The hot loops are compiled optimized at once (AggressiveOptimization): a short run would otherwise spend much
    // of its time in unoptimized code while the tiered JIT, on a busy machine, waits to recompile them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForEachLineOf(Block block, int worker, LineHandler handle, PlainLineHandler? plain)
    {
        var span = block.Buffer.Span[..block.Length];
        var number = block.FirstLine;
        while (!span.IsEmpty)
        {
            if (plain is not null && plain(worker, span, number) is var read and >= 0)
            {
                span = read < span.Length ? span[(read + 1)..] : [];
                number++;
                continue;
            }

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

    private static void ProduceBlocks(string path, BlockingCollection<Block> blocks, BlockBuffers buffers, CancellationToken cancellationToken)
    {
        // Synchronous reads: the page cache answers at once, and async file I/O adds a hop per block.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        var carry = buffers.Rent(BlockSize);
        var carryLength = 0;
        long nextLine = 1;
        while (true)
        {
            if (carryLength == carry.Length)
            {
                // A line longer than the buffer: grow it.
                var bigger = buffers.Rent(carry.Length * 2);
                carry.Span[..carryLength].CopyTo(bigger.Span);
                buffers.Return(carry);
                carry = bigger;
            }

            var read = stream.Read(carry.Span[carryLength..]);
            var length = carryLength + read;
            if (read == 0)
            {
                if (length > 0)
                {
                    blocks.Add(new Block(carry, length, nextLine), cancellationToken);
                }
                else
                {
                    buffers.Return(carry);
                }

                return;
            }

            var lastNewline = carry.Span[..length].LastIndexOf((byte)'\n');
            if (lastNewline < 0)
            {
                carryLength = length;
                continue;
            }

            var next = buffers.Rent(Math.Max(BlockSize, length - lastNewline - 1));
            carryLength = length - lastNewline - 1;
            carry.Span.Slice(lastNewline + 1, carryLength).CopyTo(next.Span);
            var lines = carry.Span[..(lastNewline + 1)].Count((byte)'\n');
            blocks.Add(new Block(carry, lastNewline + 1, nextLine), cancellationToken);
            nextLine += lines;
            carry = next;
        }
    }

    private readonly record struct Block(BlockBuffers.Buffer Buffer, int Length, long FirstLine);
}
