using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Vigil.Reports.FastReading;

/// <summary>
/// Asks the CPU to start loading a value's cache line (<c>prefetcht0</c>) well before it is read: the report's tables
/// (trace-id filter, user ids, user sums) are far larger than the cache, and a line's entry is known long before it is
/// used. Nothing on CPUs without SSE.
/// </summary>
internal static class CachePrefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Load<T>(ref readonly T value)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            fixed (T* address = &value)
            {
                Sse.Prefetch0(address);
            }
        }
    }
}
