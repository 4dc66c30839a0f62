using System.Text;
using Vigil.Records;

namespace Vigil.Tests.Records;

public sealed class StableHashTests
{
    [Theory]
    [InlineData("user-{0:D11}", 1 << 17, 65_536)]
    [InlineData("{0:D16}", 1 << 17, 65_536)]
    [InlineData("u-{0}", 1 << 17, 65_536)]
    [InlineData("user-{0:D11}", 1 << 10, 512)]
    [InlineData("tenant-{0:D9}", 1 << 10, 512)]
    public void Of_SequentialIds_SpreadOverTheTablesSlotsLikeRandomOnes(string format, int slots, int ids)
    {
        // Slots come from the hash's low bits; every byte must reach them, or ids that differ only near their end share a
        // handful of slots and every lookup walks a long chain. Random placement fills 1 - e^-0.5
        // (39 %) of the slots with a table half full; at least 30 % are required.
        var used = Enumerable.Range(0, ids)
            .Select(i => Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, i)))
            .Select(bytes => StableHash.Of(bytes) & (ulong)(slots - 1))
            .Distinct()
            .Count();

        Assert.True(used >= slots * 0.30, $"{used} of {slots} slots used by {ids} ids");
    }
}
