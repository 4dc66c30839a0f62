using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Vigil.Records;

/// <summary>
/// The names of one enum's values on the wire (record fields, metric labels): the one place they are written, which the
/// JSON converter (<see cref="WireNameJsonConverter{TEnum}"/>), the record readers and the label tables all read. Names
/// are matched exactly (no other case, no numbers).
/// </summary>
/// <typeparam name="TEnum">An enum whose values are 0, 1, 2, … (an <see cref="int"/> underneath).</typeparam>
internal sealed class EnumWireNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly string[] _names;
    private readonly byte[][] _utf8;

    /// <summary>Creates the table; <paramref name="names"/>[i] is the name of the value i.</summary>
    public EnumWireNames(params string[] names)
    {
        var values = Enum.GetValues<TEnum>().Select(Index).Order();
        if (!values.SequenceEqual(Enumerable.Range(0, names.Length)))
        {
            throw new ArgumentException($"{typeof(TEnum).Name} needs one name for each of its values 0..{names.Length - 1}.", nameof(names));
        }

        _names = names;
        _utf8 = [.. names.Select(Encoding.UTF8.GetBytes)];
        Allowed = string.Join(", ", names);
    }

    /// <summary>Every name, in value order, comma-separated: for "must be one of …" messages.</summary>
    public string Allowed { get; }

    /// <summary>The name of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not one of the enum's values.</exception>
    public string Of(TEnum value) => _names[Checked(value)];

    /// <summary>The name of <paramref name="value"/> in UTF-8.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not one of the enum's values.</exception>
    public ReadOnlySpan<byte> Utf8Of(TEnum value) => _utf8[Checked(value)];

    /// <summary>The value named <paramref name="utf8"/>.</summary>
    public bool TryParse(ReadOnlySpan<byte> utf8, out TEnum value)
    {
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (utf8.SequenceEqual(_utf8[i]))
            {
                value = Unsafe.BitCast<int, TEnum>(i);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value named <paramref name="text"/>.</summary>
    public bool TryParse(ReadOnlySpan<char> text, out TEnum value)
    {
        // The names are short ASCII: a text too long for this buffer is none of them.
        Span<byte> utf8 = stackalloc byte[64];
        if (Encoding.UTF8.TryGetBytes(text, utf8, out var length))
        {
            return TryParse(utf8[..length], out value);
        }

        value = default;
        return false;
    }

    /// <summary>The value named by the JSON string <paramref name="reader"/> is on (escaped or not); false for any other token.</summary>
    public bool TryRead(ref Utf8JsonReader reader, out TEnum value)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = default;
            return false;
        }

        return reader.ValueIsEscaped || reader.HasValueSequence ? TryParse(reader.GetString(), out value) : TryParse(reader.ValueSpan, out value);
    }

    private static int Index(TEnum value) => Unsafe.BitCast<TEnum, int>(value);

    private int Checked(TEnum value)
    {
        var index = Index(value);
        return (uint)index < (uint)_names.Length ? index : throw new ArgumentOutOfRangeException(nameof(value), value, null);
    }
}
