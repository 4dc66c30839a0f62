using System.Text;
using Vigil.Reports.FastReading;

namespace Vigil.Tests.Reports.FastReading;

public sealed class AsciiStringCacheTests
{
    [Fact]
    public void UserIdIndex_SameBytes_SameInstanceAndDenseIndexUpToItsCapacityThenEqualFreshStrings()
    {
        var cache = new AsciiStringCache();
        var first = Enumerable.Range(0, 65_536).Select(i => (Value: cache.GetUserId(Bytes($"u-{i}"), out var slot), Slot: slot)).ToArray();
        // Indexes are dense, in the order values first appear, and survive the table's growth.
        Assert.Equal(Enumerable.Range(0, first.Length), first.Select(f => f.Slot));

        // Every kept value comes back as the same string in the same slot; labels have a table of their own.
        for (var i = 0; i < first.Length; i += 97)
        {
            Assert.Same(first[i].Value, cache.GetUserId(Bytes($"u-{i}"), out var slot));
            Assert.Equal(first[i].Slot, slot);
            Assert.Equal($"u-{i}", first[i].Value);
        }

        Assert.NotSame(cache.GetUserId(Bytes("u-5"), out _), cache.Get(Bytes("u-5")));

        // Past its capacity the table does not grow: a new value is a fresh string each time, with no slot.
        var late = cache.GetUserId(Bytes("u-new"), out var lateSlot);
        Assert.Equal("u-new", late);
        Assert.Equal(-1, lateSlot);
        Assert.NotSame(late, cache.GetUserId(Bytes("u-new"), out _));
    }

    [Fact]
    public void UserIdIndex_ValuesAlikeInTheirFirst16Bytes_KeptApartByLengthAndTheRest()
    {
        // Values of up to 16 bytes are matched by the copy of their head in the table, longer ones also by their string.
        string[] values =
        [
            "", "a", "aa", "user-00000000001", "user-00000000002", "user-000000000010", "user-000000000011",
            "user-00000000001x", "user-0000000000", "tenant-1:user-000000000000000001", "tenant-1:user-000000000000000002",
            "0123456789abcdef", "0123456789abcdeg", "1123456789abcdef", "0123456789abcde", "0123456789abcdef0", "a\0", "a\0\0",
        ];
        var cache = new AsciiStringCache();
        var slots = values.Select(v => cache.GetUserId(Bytes(v), out var slot) == v ? slot : -2).ToArray();
        Assert.Equal(Enumerable.Range(0, values.Length), slots);

        foreach (var (value, index) in values.Select((v, i) => (v, i)).Reverse())
        {
            Assert.Equal(value, cache.GetUserId(Bytes(value), out var slot));
            Assert.Equal(index, slot);
            Assert.Equal(value, cache.Get(Bytes(value)));
        }
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
