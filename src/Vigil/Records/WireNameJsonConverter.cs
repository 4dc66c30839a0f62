using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>
/// Reads and writes one of the records' enums as its snake_case contract name (<c>"rate_limit"</c>), from the enum's one
/// table of wire names. Only the names are read: another case, a number or a list of names is an error, as the schema says.
/// </summary>
/// <typeparam name="TEnum">
/// One of <see cref="InteractionStatus"/>, <see cref="ErrorType"/>, <see cref="Degradation"/>, <see cref="CacheOutcome"/>,
/// <see cref="CacheType"/>, <see cref="FeedbackType"/>.
/// </typeparam>
public sealed class WireNameJsonConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private readonly EnumWireNames<TEnum> _names = WireNames.For<TEnum>();

    /// <inheritdoc/>
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        _names.TryRead(ref reader, out var value) ? value : throw new JsonException($"must be one of {_names.Allowed}");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(_names.Utf8Of(value));
    }
}
