using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vigil.Reports.FastReading;

/// <summary>
/// Finds where a JSON string's plain run of bytes ends, in one pass of vector compares: the first quote, backslash or
/// control byte, and (when asked) the first byte outside ASCII. The fast reader of <c>vigil report</c> used to look for
/// the end, then for control bytes, then for non-ASCII bytes, each a pass of its own over every text of every line.
/// </summary>
internal static class JsonStringScan
{
    /// <summary>
    /// The index in <paramref name="text"/> of the first <c>"</c>, <c>\</c> or byte below 0x20, or, when
    /// <paramref name="stopAtNonAscii"/>, the first byte above 0x7E (DEL included); -1 when there is none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FirstSpecial(ReadOnlySpan<byte> text, bool stopAtNonAscii)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var length = text.Length;
        var at = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var quote = Vector256.Create((byte)'"');
            var backslash = Vector256.Create((byte)'\\');
            var space = Vector256.Create((byte)0x20);
            var tilde = Vector256.Create(stopAtNonAscii ? (byte)0x7E : byte.MaxValue);
            for (; at <= length - Vector256<byte>.Count; at += Vector256<byte>.Count)
            {
                var bytes = Vector256.LoadUnsafe(ref start, (nuint)at);
                var special = Vector256.Equals(bytes, quote) | Vector256.Equals(bytes, backslash)
                    | Vector256.LessThan(bytes, space) | Vector256.GreaterThan(bytes, tilde);
                if (special != Vector256<byte>.Zero)
                {
                    return at + BitOperations.TrailingZeroCount(special.ExtractMostSignificantBits());
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var space = Vector128.Create((byte)0x20);
            var tilde = Vector128.Create(stopAtNonAscii ? (byte)0x7E : byte.MaxValue);
            for (; at <= length - Vector128<byte>.Count; at += Vector128<byte>.Count)
            {
                var bytes = Vector128.LoadUnsafe(ref start, (nuint)at);
                var special = Vector128.Equals(bytes, quote) | Vector128.Equals(bytes, backslash)
                    | Vector128.LessThan(bytes, space) | Vector128.GreaterThan(bytes, tilde);
                if (special != Vector128<byte>.Zero)
                {
                    return at + BitOperations.TrailingZeroCount(special.ExtractMostSignificantBits());
                }
            }
        }

        var limit = stopAtNonAscii ? (byte)0x7E : byte.MaxValue;
        for (; at < length; at++)
        {
            var b = Unsafe.Add(ref start, at);
            if (b is (byte)'"' or (byte)'\\' || b < 0x20 || b > limit)
            {
                return at;
            }
        }

        return -1;
    }
}
