using System.Text;
using Vigil.Records;

namespace Vigil.Tests.Records;

public sealed class AsciiStringCacheTests
{
    [Fact]
    public void GetOfMany_SameBytes_SameInstanceUpToItsCapacityThenEqualFreshStrings()
    {
        var cache = new AsciiStringCache();
        var first = Enumerable.Range(0, 65_536).Select(i => cache.GetOfMany(Bytes($"u-{i}"))).ToArray();

        // Every kept value comes back as the same string; labels have a table of their own.
        for (var i = 0; i < first.Length; i += 97)
        {
            Assert.Same(first[i], cache.GetOfMany(Bytes($"u-{i}")));
            Assert.Equal($"u-{i}", first[i]);
        }

        Assert.NotSame(cache.GetOfMany(Bytes("u-5")), cache.Get(Bytes("u-5")));

        // Past its capacity the table does not grow: a new value is a fresh string each time, still right.
        var late = cache.GetOfMany(Bytes("u-new"));
        Assert.Equal("u-new", late);
        Assert.NotSame(late, cache.GetOfMany(Bytes("u-new")));
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
