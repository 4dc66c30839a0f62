using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vigil.Records;

/// <summary>
/// A fast 64-bit hash of short byte strings that is the same in every process (unlike <see cref="string.GetHashCode()"/>),
/// so what is chosen by it (the users a cost ledger keeps, a Bloom filter's bits) does not change between runs. Not for
/// keys of a hash table an attacker can fill.
/// </summary>
internal static class StableHash
{
    /// <summary>The hash of <paramref name="value"/>'s UTF-8 bytes.</summary>
    public static ulong Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length <= 512)
        {
            Span<byte> bytes = stackalloc byte[length];
            return Of(bytes[..Encoding.UTF8.GetBytes(value, bytes)]);
        }

        return Of(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The hash of <paramref name="bytes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        const ulong Prime = 0x9E3779B97F4A7C15;
        var h = (ulong)bytes.Length * Prime;
        while (bytes.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Prime;
            h ^= h >> 29;
            bytes = bytes[8..];
        }

        if (bytes.Length > 0)
        {
            ulong tail = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                tail |= (ulong)bytes[i] << (8 * i);
            }

            h = (h ^ tail) * Prime;
            h ^= h >> 29;
        }

        h *= 0xBF58476D1CE4E5B9;
        return h ^ (h >> 31);
    }
}
