namespace Vigil.Alerting.Engine;

/// <summary>
/// A histogram the engine keeps a history of: one cumulative counter per bucket (<c>le</c>, as Prometheus's
/// <c>_bucket</c> series) and the <c>_count</c>, which is also the <c>+Inf</c> bucket.
/// </summary>
public sealed class SignalHistogram
{
    private readonly SignalCounter[] _buckets;

    /// <summary>Creates a histogram whose <c>_count</c> is column <paramref name="firstIndex"/> and buckets the next ones.</summary>
    /// <param name="name">The metric name, e.g. <c>llm_request_duration_seconds</c>.</param>
    /// <param name="firstIndex">The column of the <c>_count</c>.</param>
    /// <param name="bounds">The buckets' upper bounds, ascending, without +Inf.</param>
    public SignalHistogram(string name, int firstIndex, IReadOnlyList<double> bounds)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(bounds);
        Name = name;
        Bounds = [.. bounds];
        Count = new SignalCounter(firstIndex, name + "_count");
        _buckets = [.. Bounds.Select((bound, i) => new SignalCounter(firstIndex + 1 + i, $"{name}_bucket{{le=\"{bound}\"}}"))];
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The upper bounds, without +Inf.</summary>
    public IReadOnlyList<double> Bounds { get; }

    /// <summary>The <c>_count</c> (the <c>+Inf</c> bucket).</summary>
    public SignalCounter Count { get; }

    /// <summary>The bucket counters, in <see cref="Bounds"/> order.</summary>
    public IReadOnlyList<SignalCounter> Buckets => _buckets;

    /// <summary>Columns used: the count and the buckets.</summary>
    public int Width => 1 + _buckets.Length;

    /// <summary>The bucket of <paramref name="bound"/>.</summary>
    public SignalCounter Bucket(double bound)
    {
        for (var i = 0; i < Bounds.Count; i++)
        {
            if (Bounds[i] == bound)
            {
                return _buckets[i];
            }
        }

        throw new ArgumentOutOfRangeException(nameof(bound), bound, $"{Name} has no bucket le={bound}.");
    }
}
