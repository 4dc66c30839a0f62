using System.Diagnostics;
using System.Text;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>The in-memory tail of trace ids: lookups across its two generations and merges in SQLite's key order.</summary>
public sealed class SqliteIdTailTests
{
    [Fact]
    public void NextChunk_AtTheThreshold_HandsOutEveryIdOnceInUtf8OrderWithTheWatermarkOnTheLast()
    {
        // UTF-8 byte order is SQLite's order for TEXT; it differs from UTF-16 order for characters beyond the BMP.
        string[] odd = ["z", "é", "\uFF5E", "\U0001F600", "a-long-" + new string('x', 600), "日本"];
        var ids = Enumerable.Range(0, 5000).Select(i => $"id-{i * 7919 % 5000:D5}").Concat(odd).ToList();
        var tail = new SqliteIdTail(ids.Count);
        tail.Set(ids.Select((id, i) => (id, (long)i + 1)));

        var merged = new List<(string Id, long Seq)>();
        long watermark = 0;
        var clock = Stopwatch.StartNew();
        while (watermark == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var chunk = tail.NextChunk(700, lastSeq: ids.Count, out var upTo);
            merged.AddRange(chunk.Select(p => (p.Key, p.Value)));
            tail.Merged(chunk);
            watermark = upTo;
            if (chunk.Count == 0)
            {
                Thread.Sleep(1); // the sort runs on the thread pool
            }
        }

        Assert.Equal(ids.Count, watermark);
        var expected = ids.Select((id, i) => (id, (long)i + 1)).OrderBy(p => Encoding.UTF8.GetBytes(p.id), Utf8Order.Instance).ToList();
        Assert.Equal(expected, merged);
        Assert.NotEqual(expected.Select(p => p.id), ids.Order(StringComparer.Ordinal));
        Assert.Equal(0, tail.Count);
        Assert.False(tail.TryGetSeq("id-00001", out _));
    }

    [Fact]
    public void NextChunk_IdsWithALongSharedPrefixAndEqualStarts_StillInUtf8Order()
    {
        // The sort keys start after the shared prefix and cover 8 bytes; ids equal there are ordered by all their bytes.
        var ids = Enumerable.Range(0, 3000).Select(i => $"chatcmpl-12345678-ABCDEFGH{i % 97}-{i}")
            .Concat(["chatcmpl-12345678-", "chatcmpl-12345678-\0", "chatcmpl-12345678-\u0001", "chatcmpl-12345678-ABCDEFGH"]).ToList();
        var tail = new SqliteIdTail(ids.Count);
        tail.Set(ids.Select((id, i) => (id, (long)i + 1)));

        var merged = new List<string>();
        long upTo = 0;
        while (upTo == 0)
        {
            var chunk = WaitForChunk(tail, 1000, ids.Count, out upTo);
            merged.AddRange(chunk.Select(p => p.Key));
            tail.Merged(chunk);
        }

        Assert.Equal(ids.OrderBy(Encoding.UTF8.GetBytes, Utf8Order.Instance), merged);
    }

    [Fact]
    public void TryGetSeq_DuringAMerge_FindsFrozenIdsAndARepeatWins()
    {
        var tail = new SqliteIdTail(3);
        tail.Set([("a", 1), ("b", 2), ("c", 3)]);
        var chunk = WaitForChunk(tail, max: 2, lastSeq: 3, out var upTo);
        Assert.Equal(["a", "b"], chunk.Select(p => p.Key));
        Assert.Equal(0, upTo);

        // New ids and a repeat of a frozen one go to the current table, which is looked at first.
        tail.Set([("d", 4), ("a", 5)]);
        Assert.True(tail.TryGetSeq("a", out var a));
        Assert.Equal(5, a);
        Assert.True(tail.TryGetSeqOnWriter("c", out var c));
        Assert.Equal(3, c);
        tail.Merged(chunk);

        var last = WaitForChunk(tail, max: 10, lastSeq: 5, out upTo);
        Assert.Equal(["c"], last.Select(p => p.Key));
        Assert.Equal(3, upTo);
        tail.Merged(last);

        // The frozen table is gone; the ids added meanwhile stay for the next merge.
        Assert.False(tail.TryGetSeq("b", out _));
        Assert.False(tail.TryGetSeq("c", out _));
        Assert.True(tail.TryGetSeq("a", out a));
        Assert.Equal(5, a);
        Assert.True(tail.TryGetSeq("d", out var d));
        Assert.Equal(4, d);
        Assert.Equal(2, tail.Count);
    }

    [Fact]
    public void Set_ManyIdsOverSeveralReusedGenerations_KeepsTheNewestSeqOfEach()
    {
        // 300,000 ids of 36 bytes fill several 1 MiB blocks; tables grow and are reused after each merge.
        var tail = new SqliteIdTail(100_000);
        var seq = 0L;
        var newest = new Dictionary<string, long>();
        for (var round = 0; round < 3; round++)
        {
            var batch = Enumerable.Range(0, 100_000).Select(i => (Guid.NewGuid().ToString(), ++seq)).ToList();
            batch.Add((batch[17].Item1, ++seq));
            tail.Set(batch);
            foreach (var (id, s) in batch)
            {
                newest[id] = s;
            }

            foreach (var (id, s) in batch.Where((_, i) => i % 997 == 0))
            {
                Assert.True(tail.TryGetSeq(id, out var found));
                Assert.Equal(newest[id], found);
            }

            long upTo = 0;
            while (upTo == 0)
            {
                var chunk = tail.NextChunk(25_000, seq, out upTo);
                tail.Merged(chunk);
                if (chunk.Count == 0)
                {
                    Thread.Sleep(1);
                }
            }

            Assert.Equal(seq, upTo);
            Assert.Equal(0, tail.Count);
        }

        Assert.False(tail.TryGetSeq("not there", out _));
    }

    [Fact]
    public void Clear_DuringAMerge_EmptiesBothGenerations()
    {
        var tail = new SqliteIdTail(2);
        tail.Set([("a", 1), ("b", 2)]);
        _ = tail.NextChunk(1, 2, out _);
        tail.Set([("c", 3)]);

        tail.Clear();

        Assert.Equal(0, tail.Count);
        Assert.False(tail.TryGetSeq("a", out _));
        Assert.False(tail.TryGetSeq("c", out _));
        Assert.Equal(0, tail.NextChunk(10, 3, out var upTo).Count);
        Assert.Equal(0, upTo);
    }

    private static ArraySegment<KeyValuePair<string, long>> WaitForChunk(SqliteIdTail tail, int max, long lastSeq, out long upTo)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            var chunk = tail.NextChunk(max, lastSeq, out upTo);
            if (chunk.Count > 0)
            {
                return chunk;
            }

            Thread.Sleep(1);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(30));

        throw new TimeoutException("the merge's sort did not finish");
    }

    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
