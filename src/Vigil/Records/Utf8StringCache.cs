using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vigil.Records;

/// <summary>
/// Maps UTF-8 bytes to shared strings so a reader sees each label (model, feature, tier, user) as one string
/// instead of making a new one per line. Not thread-safe: one per worker. Bounded: past its capacity new values
/// are returned as fresh strings, so a high-cardinality field cannot grow it.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int Capacity = 1 << 14;
    private const int MaxLength = 128;
    private readonly Entry[] _entries = new Entry[Capacity];
    private int _count;

    /// <summary>The string of <paramref name="utf8"/> (valid UTF-8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = Hash(utf8);
        var slot = (int)(hash & (Capacity - 1));
        while (true)
        {
            ref var entry = ref _entries[slot];
            if (entry.Value is null)
            {
                var value = Encoding.UTF8.GetString(utf8);
                if (_count < Capacity / 2)
                {
                    entry = new Entry(hash, utf8.ToArray(), value);
                    _count++;
                }

                return value;
            }

            if (entry.Hash == hash && utf8.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }

            slot = (slot + 1) & (Capacity - 1);
        }
    }

    /// <summary>A fast 64-bit hash of a short byte string (not for untrusted keys in a hash table an attacker can fill).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> bytes)
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

    private readonly record struct Entry(ulong Hash, byte[] Key, string Value);
}
