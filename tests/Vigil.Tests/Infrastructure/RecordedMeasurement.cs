namespace Vigil.Tests.Infrastructure;

/// <summary>One measurement seen by a <see cref="MetricRecorder"/>.</summary>
/// <param name="Instrument">The instrument's (exposition) name.</param>
/// <param name="Value">The value.</param>
/// <param name="Tags">The tags, values as invariant text.</param>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    /// <summary>True when every one of <paramref name="tags"/> is on this measurement.</summary>
    public bool HasTags(params (string Key, string Value)[] tags) =>
        tags.All(t => Tags.TryGetValue(t.Key, out var value) && value == t.Value);
}
