using System.Runtime.InteropServices;

namespace Vigil.Reports.FastReading;

/// <summary>Linux's memory advice (<c>madvise</c>), for <see cref="HugePageArray{T}"/>.</summary>
internal static partial class LinuxMemory
{
    private const int AdviseHugePage = 14; // MADV_HUGEPAGE

    /// <summary>Asks for transparent huge pages for the range; 0 when granted.</summary>
    public static int AdviseHugePages(nint address, nuint length) => Madvise(address, length, AdviseHugePage);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
