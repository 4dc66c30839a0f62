namespace Vigil.Alerting.Engine;

/// <summary>One element of an instant vector: a label set (empty for a <c>sum</c>) and its value.</summary>
/// <param name="Labels">The series' labels, without the metric name.</param>
/// <param name="Value">The value.</param>
public sealed record AlertSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>No labels: the result of an aggregation over all of them.</summary>
    public static IReadOnlyDictionary<string, string> NoLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
