using Vigil.Reports.FastReading;

namespace Vigil.Tests;

internal static class AsciiStringCacheTestExtensions
{
    // The numbered user id's string and index, or a fresh string and -1 (UserIdIndex, then UserIdAt).
    public static string GetUserId(this AsciiStringCache cache, ReadOnlySpan<byte> ascii, out int index)
    {
        index = cache.UserIdIndex(ascii, out var fresh);
        return fresh ?? cache.UserIdAt(index);
    }
}
