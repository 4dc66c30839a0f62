using System.Collections.Concurrent;

namespace Vigil.Metrics;

/// <summary>
/// Keeps one label low-cardinality. With a configured set of values, anything else becomes <c>other</c>;
/// without one, the first <c>maxDistinct</c> values seen are admitted and the rest become <c>other</c>.
/// Either way the number of series stays bounded whatever callers send.
/// </summary>
public sealed class LabelGuard
{
    /// <summary>The value that stands for every value outside the admitted set.</summary>
    public const string Other = "other";

    private readonly string _label;
    private readonly HashSet<string>? _allowed;
    private readonly ConcurrentDictionary<string, string> _admitted = new(StringComparer.Ordinal);
    private readonly int _maxDistinct;
    private readonly VigilMetrics? _metrics;
    private int _admittedCount;

    /// <summary>Creates a guard for <paramref name="label"/>.</summary>
    /// <param name="label">The label name, for the overflow counter.</param>
    /// <param name="allowed">The configured values; null or empty for "first N seen".</param>
    /// <param name="maxDistinct">How many distinct values to admit when no set is configured.</param>
    /// <param name="metrics">Where to count overflow; null to not count.</param>
    public LabelGuard(string label, IEnumerable<string>? allowed, int maxDistinct, VigilMetrics? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistinct);
        _label = label;
        var set = allowed?.Where(v => !string.IsNullOrEmpty(v)).ToHashSet(StringComparer.Ordinal);
        _allowed = set is { Count: > 0 } ? set : null;
        _maxDistinct = maxDistinct;
        _metrics = metrics;
    }

    /// <summary>The label value to use for <paramref name="value"/>.</summary>
    public string Apply(string value)
    {
        if (_allowed is not null)
        {
            return _allowed.TryGetValue(value, out var kept) ? kept : Overflow();
        }

        if (_admitted.TryGetValue(value, out var admitted))
        {
            return admitted;
        }

        // Admission is rare (at most maxDistinct times), so a lock keeps the count exact.
        lock (_admitted)
        {
            if (_admitted.TryGetValue(value, out admitted))
            {
                return admitted;
            }

            if (_admittedCount < _maxDistinct)
            {
                _admittedCount++;
                _admitted[value] = value;
                return value;
            }
        }

        return Overflow();
    }

    private string Overflow()
    {
        if (_metrics is { } metrics && metrics.LabelOverflow.Enabled)
        {
            metrics.LabelOverflow.Add(1, new KeyValuePair<string, object?>(MetricTags.Label, _label));
        }

        return Other;
    }
}
