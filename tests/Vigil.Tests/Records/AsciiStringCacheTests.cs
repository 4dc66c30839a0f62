using System.Text;
using Vigil.Records;

namespace Vigil.Tests.Records;

public sealed class AsciiStringCacheTests
{
    [Fact]
    public void GetOfMany_SameBytes_SameInstanceAndDenseIndexUpToItsCapacityThenEqualFreshStrings()
    {
        var cache = new AsciiStringCache();
        var first = Enumerable.Range(0, 65_536).Select(i => (Value: cache.GetOfMany(Bytes($"u-{i}"), out var slot), Slot: slot)).ToArray();
        // Indexes are dense, in the order values first appear, and survive the table's growth.
        Assert.Equal(Enumerable.Range(0, first.Length), first.Select(f => f.Slot));

        // Every kept value comes back as the same string in the same slot; labels have a table of their own.
        for (var i = 0; i < first.Length; i += 97)
        {
            Assert.Same(first[i].Value, cache.GetOfMany(Bytes($"u-{i}"), out var slot));
            Assert.Equal(first[i].Slot, slot);
            Assert.Equal($"u-{i}", first[i].Value);
        }

        Assert.NotSame(cache.GetOfMany(Bytes("u-5"), out _), cache.Get(Bytes("u-5")));

        // Past its capacity the table does not grow: a new value is a fresh string each time, with no slot.
        var late = cache.GetOfMany(Bytes("u-new"), out var lateSlot);
        Assert.Equal("u-new", late);
        Assert.Equal(-1, lateSlot);
        Assert.NotSame(late, cache.GetOfMany(Bytes("u-new"), out _));
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
