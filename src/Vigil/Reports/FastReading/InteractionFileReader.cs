using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Vigil.Records;

namespace Vigil.Reports.FastReading;

/// <summary>
/// <c>vigil report</c>'s reading of an interactions file (behind <see cref="JsonlReportReader"/>): the file is streamed in
/// blocks, parsed on every core, and summed per worker. Lines are read into <see cref="InteractionFigures"/> by the fast
/// reader (<see cref="InteractionFiguresReader"/>), or the full one for anything unusual. A repeated trace_id replaces
/// the earlier record (the last line wins): a fixed-size filter flags maybe-repeated ids in the one pass, and only when
/// it flags any does a second pass settle them. A bad line is reported with its number and the lines around it are kept.
/// </summary>
internal sealed class InteractionFileReader(InteractionNormalizer normalizer, int workers, BlockBuffers buffers)
{
    // A file's users are kept by name up to this many (exact figures; about 100–200 B each per worker), the collector's
    // windows keep the ledger's default; past it the users whose ids hash lowest stay (CostLedger.Users).
    private const int MaxUsers = 200_000;
    private readonly InteractionNormalizer _normalizer = normalizer;
    private readonly int _workers = workers;
    private readonly BlockBuffers _buffers = buffers;

    /// <summary>Sums the interactions of <paramref name="path"/> with from ≤ timestamp &lt; to.</summary>
    public async Task<SignalAggregate> ReadAsync(string path, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, CancellationToken cancellationToken)
    {
        var pass = new FirstPass(this, path, from, to, onError, new TraceIdRepeatFilter(new FileInfo(path).Length / 64), new Worker[_workers]);
        await LineBlockReader.ForEachLineAsync(path, _workers, _buffers, pass.Read, cancellationToken, pass.ReadPlain).ConfigureAwait(false);

        // The users summed by their index in a worker's string table join its cost ledger as plain additions.
        foreach (var worker in pass.Workers.Where(w => w is not null))
        {
            worker.UserCosts.MoveTo(worker.Aggregate.Cost, worker.Strings);
        }

        // The busiest worker's figures become the total (merging them into an empty one would copy every user once more).
        var live = pass.Workers.Where(w => w is not null).OrderByDescending(w => w.Aggregate.Cost.Interactions).ToList();
        var total = live.Count > 0 ? live[0].Aggregate : new SignalAggregate(maxUsers: MaxUsers);
        foreach (var worker in live.Skip(1))
        {
            total.Merge(worker.Aggregate);
        }

        if (live.Any(w => w.Held.Count > 0))
        {
            // The latest held line of each id over all workers, merged into the largest worker's map (not a copy).
            var latest = live.MaxBy(w => w.Held.Count)!.Held;
            foreach (var candidate in live.Where(w => w.Held != latest).SelectMany(w => w.Held.Values))
            {
                if (!latest.TryGetValue(candidate.Id, out var current) || current.Line < candidate.Line)
                {
                    latest[candidate.Id] = candidate;
                }
            }

            var range = live.Select(w => w.Range).Aggregate(TimestampCounts.Merge);
            var heldLines = live.SelectMany(w => w.HeldLines).ToHashSet();
            await SettleRepeatsAsync(path, total, latest, heldLines, range, from, to, cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    // The held lines' ids were maybe seen before: the first line of each such id that the filter saw was added in the
    // first pass. One more pass finds those lines: for each id only its last valid line counts, so an added line
    // before the latest held one is removed again, and the latest held line is added unless an added line comes after it.
    private async Task SettleRepeatsAsync(string path, SignalAggregate total, Dictionary<string, Candidate> latest,
        HashSet<long> heldLines, TimestampCounts range, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var hashes = latest.Keys.Select(id => StableHash.Of(Encoding.UTF8.GetBytes(id))).ToHashSet();
        var supersededHeld = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var removed = new ConcurrentBag<long>();
        var strings = new AsciiStringCache[_workers];
        var gate = new Lock();
        long removedAtFirst = 0, removedAtLast = 0;
        await LineBlockReader.ForEachLineAsync(path, _workers, _buffers, (worker, line, number) =>
        {
            // Room for the longest valid id escaped (128 characters of \uXXXX).
            Span<byte> scratch = stackalloc byte[1024];
            var idBytes = TraceIdBytes(line, scratch);
            if (idBytes.IsEmpty || !hashes.Contains(StableHash.Of(idBytes)) || heldLines.Contains(number)
                || !TryFigures(line, strings[worker] ??= new AsciiStringCache(), out var figures, out var id, out _))
            {
                return;
            }

            var text = id.Text ?? Encoding.UTF8.GetString(id.Bytes);
            if (!latest.TryGetValue(text, out var held))
            {
                return;
            }

            if (number > held.Line)
            {
                supersededHeld.TryAdd(text, 0); // this line is the last (and was added if in range)
            }
            else if (InRange(figures.Timestamp, from, to))
            {
                // Added in the first pass, but a later line of its id was held: take it out again.
                removed.Add(number);
                var ticks = figures.Timestamp.UtcTicks;
                lock (gate)
                {
                    total.Add(in figures, sign: -1);
                    removedAtFirst += ticks == range.FirstTicks ? 1 : 0;
                    removedAtLast += ticks == range.LastTicks ? 1 : 0;
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        List<Candidate> winners = [];
        foreach (var (id, candidate) in latest)
        {
            if (!supersededHeld.ContainsKey(id) && InRange(candidate.Figures.Timestamp, from, to))
            {
                winners.Add(candidate);
            }
        }

        foreach (var winner in winners.OrderBy(w => w.Line))
        {
            var figures = winner.Figures;
            total.Add(in figures);
        }

        if (range.FirstCount > 0 && (removedAtFirst == range.FirstCount || removedAtLast == range.LastCount))
        {
            // Every added line at the first (or last) timestamp was taken out: find the range of the lines that count.
            await RecomputeTimestampsAsync(path, total, winners, removed.ToHashSet(), heldLines, from, to, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecomputeTimestampsAsync(string path, SignalAggregate total, List<Candidate> winners, HashSet<long> removed,
        HashSet<long> heldLines, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var ranges = new (DateTimeOffset? First, DateTimeOffset? Last)[_workers];
        var strings = new AsciiStringCache[_workers];
        await LineBlockReader.ForEachLineAsync(path, _workers, _buffers, (index, line, number) =>
        {
            if (!removed.Contains(number) && !heldLines.Contains(number)
                && TryFigures(line, strings[index] ??= new AsciiStringCache(), out var figures, out _, out _)
                && InRange(figures.Timestamp, from, to))
            {
                ranges[index] = Widen(ranges[index], figures.Timestamp);
            }
        }, cancellationToken).ConfigureAwait(false);

        (DateTimeOffset? First, DateTimeOffset? Last) range = default;
        foreach (var part in ranges)
        {
            range = part.First is { } first ? Widen(Widen(range, first), part.Last!.Value) : range;
        }

        foreach (var winner in winners)
        {
            range = Widen(range, winner.Figures.Timestamp);
        }

        total.SetTimestamps(range.First, range.Last);
    }

    private static (DateTimeOffset? First, DateTimeOffset? Last) Widen((DateTimeOffset? First, DateTimeOffset? Last) range, DateTimeOffset at) =>
        (range.First is { } first && first <= at ? first : at, range.Last is { } last && last >= at ? last : at);

    // The normalized figures of a valid line and its trace_id, by the fast reader or, for anything it does not take,
    // by the full one (whose errors are the line's errors).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFigures(ReadOnlySpan<byte> line, AsciiStringCache strings, out InteractionFigures figures, out TraceIdOf id, out string? error)
    {
        if (InteractionFiguresReader.TryRead(line, strings, out figures, out var idBytes))
        {
            id = new TraceIdOf(idBytes, null);
        }
        else
        {
            var result = RecordParser.ParseInteraction(line, figuresOnly: true);
            if (result.Record is not { } record)
            {
                id = default;
                error = string.Join("; ", result.Errors);
                return false;
            }

            figures = InteractionFigures.Of(record);
            id = new TraceIdOf(Encoding.UTF8.GetBytes(record.TraceId), record.TraceId);
        }

        _normalizer.Normalize(ref figures);
        error = null;
        return true;
    }

    private static bool InRange(DateTimeOffset timestamp, DateTimeOffset? from, DateTimeOffset? to) =>
        (from is not { } f || timestamp >= f) && (to is not { } t || timestamp < t);

    // The UTF-8 bytes of a line's top-level trace_id (unescaped into scratch when needed); empty when there is none.
    private static ReadOnlySpan<byte> TraceIdBytes(ReadOnlySpan<byte> line, Span<byte> scratch, bool quickOnly = false)
    {
        if (line.StartsWith("{\"trace_id\":\""u8))
        {
            var rest = line["{\"trace_id\":\""u8.Length..];
            var end = rest.IndexOfAny((byte)'"', (byte)'\\');
            if (end >= 0 && rest[end] == '"')
            {
                return rest[..end];
            }
        }

        if (quickOnly)
        {
            return [];
        }

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

    // The first pass over the interactions: every line's figures summed per worker, lines whose trace_id the filter has
    // maybe seen held back. A plainly valid line is read straight from the block (ReadPlain), any other one alone (Read).
    private sealed class FirstPass(InteractionFileReader reader, string path, DateTimeOffset? from, DateTimeOffset? to,
        Action<LineError> onError, TraceIdRepeatFilter filter, Worker[] workers)
    {
        public Worker[] Workers => workers;

        // The length of the plainly valid line that starts text, counted; -1 to read it alone.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int ReadPlain(int index, ReadOnlySpan<byte> text, long number)
        {
            var worker = workers[index] ??= new Worker();
            var quickId = TraceIdBytes(text, [], quickOnly: true);
            var quickHash = 0UL;
            if (!quickId.IsEmpty)
            {
                quickHash = StableHash.Of(quickId);
                filter.Prefetch(quickHash);
            }

            if (!InteractionFiguresReader.TryReadLine(text, worker.Strings, out var figures, out var id, out var length, out var userIdIndex))
            {
                return -1;
            }

            reader._normalizer.Normalize(ref figures);
            worker.UserCosts.Prefetch(userIdIndex);

            // The id the reader found is, for a plain line, the very bytes hashed above.
            var sameBytes = id.Length == quickId.Length && !quickId.IsEmpty
                && Unsafe.AreSame(ref MemoryMarshal.GetReference(id), ref MemoryMarshal.GetReference(quickId));
            Count(worker, ref figures, userIdIndex, new TraceIdOf(id, null), sameBytes ? quickHash : StableHash.Of(id), number);
            return length;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Read(int index, ReadOnlySpan<byte> line, long number)
        {
            var worker = workers[index] ??= new Worker();
            if (!reader.TryFigures(line, worker.Strings, out var figures, out var id, out var error))
            {
                onError(new LineError(path, number, error!));
                return;
            }

            Count(worker, ref figures, -1, id, StableHash.Of(id.Bytes), number);
        }

        // userIdIndex: where the worker's string table numbers the user, whose cost then goes to the worker's sums by
        // index (the figures carry no user id); -1 when the figures carry it.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Count(Worker worker, ref InteractionFigures figures, int userIdIndex, TraceIdOf id, ulong idHash, long number)
        {
            if (filter.AddAndCheck(idHash))
            {
                if (userIdIndex >= 0)
                {
                    figures.UserId = worker.Strings.UserIdAt(userIdIndex);
                }

                // Maybe a repeat (or a false positive of the filter): which line of an id is last is known only at
                // the end, so hold its figures instead of adding them; only the latest line per id, and the numbers
                // of the others, so a file of many repeats holds little.
                var text = id.Text ?? Encoding.UTF8.GetString(id.Bytes);
                worker.HeldLines.Add(number);
                if (!worker.Held.TryGetValue(text, out var current) || current.Line < number)
                {
                    worker.Held[text] = new Candidate(text, number, figures);
                }

                return;
            }

            if (InRange(figures.Timestamp, from, to))
            {
                worker.Aggregate.Add(in figures);
                if (userIdIndex >= 0)
                {
                    worker.UserCosts.Add(userIdIndex, figures.CostUsd ?? 0m);
                }

                worker.Range.Count(figures.Timestamp.UtcTicks);
            }
        }
    }

    // A trace_id as UTF-8 bytes, with its string when one was made anyway.
    private readonly ref struct TraceIdOf(ReadOnlySpan<byte> bytes, string? text)
    {
        public ReadOnlySpan<byte> Bytes { get; } = bytes;

        public string? Text { get; } = text;
    }

    private readonly record struct Candidate(string Id, long Line, InteractionFigures Figures);

    private sealed class Worker
    {
        public SignalAggregate Aggregate { get; } = new(maxUsers: MaxUsers);

        public AsciiStringCache Strings { get; } = new();

        public UserCostSums UserCosts { get; } = new();

        // The latest held line of each id, and the numbers of every held line (never added in the first pass).
        public Dictionary<string, Candidate> Held { get; } = new(StringComparer.Ordinal);

        public List<long> HeldLines { get; } = [];

        // How many added lines have the earliest and the latest timestamp (an instant, in UTC ticks).
        public TimestampCounts Range;
    }

    private struct TimestampCounts
    {
        public long FirstTicks;
        public long FirstCount;
        public long LastTicks;
        public long LastCount;

        public void Count(long ticks)
        {
            if (FirstCount == 0 || ticks < FirstTicks)
            {
                (FirstTicks, FirstCount) = (ticks, 0);
            }

            if (LastCount == 0 || ticks > LastTicks)
            {
                (LastTicks, LastCount) = (ticks, 0);
            }

            FirstCount += ticks == FirstTicks ? 1 : 0;
            LastCount += ticks == LastTicks ? 1 : 0;
        }

        public static TimestampCounts Merge(TimestampCounts a, TimestampCounts b)
        {
            if (a.FirstCount == 0)
            {
                return b;
            }

            if (b.FirstCount == 0)
            {
                return a;
            }

            var merged = a;
            if (b.FirstTicks < a.FirstTicks)
            {
                (merged.FirstTicks, merged.FirstCount) = (b.FirstTicks, b.FirstCount);
            }
            else if (b.FirstTicks == a.FirstTicks)
            {
                merged.FirstCount += b.FirstCount;
            }

            if (b.LastTicks > a.LastTicks)
            {
                (merged.LastTicks, merged.LastCount) = (b.LastTicks, b.LastCount);
            }
            else if (b.LastTicks == a.LastTicks)
            {
                merged.LastCount += b.LastCount;
            }

            return merged;
        }
    }
}
