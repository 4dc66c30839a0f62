using System.Runtime.InteropServices;
using Vigil.Reports;

namespace Vigil.Tests.Reports;

public sealed class HugePageArrayTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(3 << 20)]
    public void New_IsZeroedWithItsLength_AndWritesThroughTheIndexerAreInTheSpan(int length)
    {
        var array = new HugePageArray<byte>(length);

        Assert.Equal(length, array.Length);
        Assert.Equal(length, array.Span.Length);
        Assert.True(array.Span.IndexOfAnyExcept((byte)0) < 0);
        if (length > 0)
        {
            array[length - 1] = 7;
            Assert.Equal(7, array.Span[^1]);
        }
    }

    [Fact]
    public void New_OfHugePagesOnLinux_StartsOnA2MiBBoundary()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // huge pages are asked for on Linux only
        }

        var array = new HugePageArray<long>(1 << 20); // 8 MiB

        var (backing, offset) = array.Segment;

        Assert.Equal(0, Marshal.UnsafeAddrOfPinnedArrayElement(backing, offset) % (2 << 20));
        Assert.True(backing.Length - offset >= array.Length);
    }
}
