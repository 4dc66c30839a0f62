using System.Collections;
using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// Interactions together with their stored form (UTF-8 JSON), made on the request's thread so the store's one
/// writer only binds bytes. A store that knows this type takes the JSON from it; any other reads the records.
/// </summary>
public sealed class SerializedInteractions : IReadOnlyList<InteractionRecord>
{
    private readonly InteractionRecord[] _records;
    private readonly byte[][] _json;

    private SerializedInteractions(InteractionRecord[] records, byte[][] json)
    {
        _records = records;
        _json = json;
    }

    /// <inheritdoc />
    public int Count => _records.Length;

    /// <inheritdoc />
    public InteractionRecord this[int index] => _records[index];

    /// <summary>Serializes <paramref name="records"/> once.</summary>
    public static SerializedInteractions Of(IReadOnlyList<InteractionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var array = new InteractionRecord[records.Count];
        var json = new byte[records.Count][];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = records[i] ?? throw new ArgumentException($"Record {i} is null.", nameof(records));
            json[i] = StoreJson.SerializeUtf8(array[i]);
        }

        return new SerializedInteractions(array, json);
    }

    /// <summary>The batches one after the other, without serializing again.</summary>
    public static SerializedInteractions Concat(IReadOnlyList<SerializedInteractions> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var total = 0;
        foreach (var part in parts)
        {
            total += part.Count;
        }

        var records = new InteractionRecord[total];
        var json = new byte[total][];
        var at = 0;
        foreach (var part in parts)
        {
            part._records.CopyTo(records, at);
            part._json.CopyTo(json, at);
            at += part.Count;
        }

        return new SerializedInteractions(records, json);
    }

    /// <summary>The stored JSON of record <paramref name="index"/>.</summary>
    public byte[] Utf8Json(int index) => _json[index];

    /// <inheritdoc />
    public IEnumerator<InteractionRecord> GetEnumerator() => ((IEnumerable<InteractionRecord>)_records).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
