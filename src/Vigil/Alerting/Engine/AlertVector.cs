namespace Vigil.Alerting.Engine;

/// <summary>
/// An instant vector, as PromQL's: what a rule's C# condition returns. Empty means the condition does not hold (or the
/// expression has no value, e.g. a guarded ratio without traffic); each sample is one alert series whose value is the
/// expression's. Comparisons filter (<c>&gt; 0.1</c>), <see cref="And"/> and <see cref="Or"/> match on the whole label set.
/// </summary>
public sealed class AlertVector
{
    private AlertVector(IReadOnlyList<AlertSample> samples) => Samples = samples;

    /// <summary>No series.</summary>
    public static AlertVector Empty { get; } = new([]);

    /// <summary>The samples.</summary>
    public IReadOnlyList<AlertSample> Samples { get; }

    /// <summary>True without samples.</summary>
    public bool IsEmpty => Samples.Count == 0;

    /// <summary>One sample without labels, or none when <paramref name="value"/> is null or NaN.</summary>
    public static AlertVector Of(double? value) =>
        value is { } v && !double.IsNaN(v) ? new([new AlertSample(AlertSample.NoLabels, v)]) : Empty;

    /// <summary>The given samples (NaN values dropped).</summary>
    public static AlertVector Of(IEnumerable<AlertSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var list = samples.Where(s => !double.IsNaN(s.Value)).ToList();
        return list.Count == 0 ? Empty : new(list);
    }

    /// <summary>The samples above <paramref name="threshold"/> (PromQL <c>&gt;</c>).</summary>
    public AlertVector Above(double threshold) => Where(v => v > threshold);

    /// <summary>The samples below <paramref name="threshold"/> (PromQL <c>&lt;</c>).</summary>
    public AlertVector Below(double threshold) => Where(v => v < threshold);

    /// <summary>PromQL <c>and</c>: the samples whose label set <paramref name="other"/> also has.</summary>
    public AlertVector And(AlertVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return Empty;
        }

        var keys = other.Samples.Select(s => Key(s.Labels)).ToHashSet(StringComparer.Ordinal);
        return Of(Samples.Where(s => keys.Contains(Key(s.Labels))));
    }

    /// <summary>PromQL <c>or</c>: these samples, and those of <paramref name="other"/> whose label set these lack.</summary>
    public AlertVector Or(AlertVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var keys = Samples.Select(s => Key(s.Labels)).ToHashSet(StringComparer.Ordinal);
        return Of(Samples.Concat(other.Samples.Where(s => !keys.Contains(Key(s.Labels)))));
    }

    private AlertVector Where(Func<double, bool> keep)
    {
        if (IsEmpty)
        {
            return this;
        }

        var kept = Samples.Where(s => keep(s.Value)).ToList();
        return kept.Count == Samples.Count ? this : kept.Count == 0 ? Empty : new(kept);
    }

    internal static string Key(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? string.Empty
        : string.Join('\u0001', labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "\u0002" + p.Value));
}
