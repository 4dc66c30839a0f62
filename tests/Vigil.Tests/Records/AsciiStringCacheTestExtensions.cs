using Vigil.Records;

namespace Vigil.Tests;

internal static class AsciiStringCacheTestExtensions
{
    // The kept value's string and index, or a fresh string and -1 (KeepOfMany, then ManyValue).
    public static string GetOfMany(this AsciiStringCache cache, ReadOnlySpan<byte> ascii, out int index)
    {
        index = cache.KeepOfMany(ascii, out var fresh);
        return fresh ?? cache.ManyValue(index);
    }
}
