using System.Runtime.InteropServices;
using Vigil.Reports.FastReading;

namespace Vigil.Tests.Reports.FastReading;

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
    public void New_OfHugePagesOnLinux_StartsOnA2MiBBoundaryAdvisedForHugePages()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // huge pages are asked for on Linux only
        }

        var array = new HugePageArray<long>(1 << 20); // 8 MiB
        var (backing, offset) = array.Segment;
        var start = Marshal.UnsafeAddrOfPinnedArrayElement(backing, offset);

        Assert.Equal(0, start % (2 << 20));
        if (File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")
            && !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal))
        {
            // The kernel marks the advised range: its mapping is eligible for transparent huge pages.
            Assert.Equal("1", SmapsField(start, "THPeligible:"));
        }

        GC.KeepAlive(backing);
    }

    // A field of the /proc/self/smaps entry of the mapping that holds address.
    private static string? SmapsField(nint address, string field)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out var from)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out var to))
            {
                inside = (ulong)address >= from && (ulong)address < to;
            }
            else if (inside && line.StartsWith(field, StringComparison.Ordinal))
            {
                return line[field.Length..].Trim();
            }
        }

        return null;
    }
}
