namespace Vigil.Alerting.Engine;

/// <summary>
/// What a rule's C# condition reads at one evaluation time: the counters' history (increase, rate, guarded ratios,
/// histogram quantiles, Prometheus's meaning of each) and the gauges now. The small typed vocabulary the catalog writes
/// each rule in, beside its PromQL.
/// </summary>
public sealed class SignalView
{
    private readonly SignalHistory _history;
    private readonly IReadOnlyList<GaugeSample> _gauges;

    /// <summary>A view of <paramref name="history"/> and <paramref name="gauges"/> at <paramref name="at"/>.</summary>
    public SignalView(SignalHistory history, IReadOnlyList<GaugeSample> gauges, DateTimeOffset at)
    {
        _history = history ?? throw new ArgumentNullException(nameof(history));
        _gauges = gauges ?? throw new ArgumentNullException(nameof(gauges));
        At = at;
    }

    /// <summary>The evaluation time.</summary>
    public DateTimeOffset At { get; }

    /// <summary><c>increase(counter[window])</c>, summed over labels.</summary>
    public double Increase(SignalCounter counter, TimeSpan window) => _history.Increase(counter, At, window);

    /// <summary><c>rate(counter[window])</c>: the increase per second.</summary>
    public double Rate(SignalCounter counter, TimeSpan window) => Increase(counter, window) / window.TotalSeconds;

    /// <summary>
    /// <c>(sum(rate(numerator[w])) or vector(0)) / (sum(rate(denominator[w])) &gt; 0)</c>: null (no series) when the
    /// denominator did not grow.
    /// </summary>
    public double? Ratio(SignalCounter numerator, SignalCounter denominator, TimeSpan window)
    {
        var d = Increase(denominator, window);
        return d > 0 ? Increase(numerator, window) / d : null;
    }

    /// <summary>
    /// <c>(sum(rate(part[w])) or vector(0)) / (sum(rate(part[w])) + sum(rate(other[w])) &gt; 0)</c>: the share of
    /// <paramref name="part"/> in both; null when neither grew.
    /// </summary>
    public double? Share(SignalCounter part, SignalCounter other, TimeSpan window)
    {
        var p = Increase(part, window);
        var d = p + Increase(other, window);
        return d > 0 ? p / d : null;
    }

    /// <summary>
    /// <c>(sum(rate(total[w])) - sum(rate(good[w]))) / (sum(rate(total[w])) &gt; 0)</c>: the share of
    /// <paramref name="total"/> that is not <paramref name="good"/>; null when <paramref name="total"/> did not grow.
    /// </summary>
    public double? ErrorRatio(SignalCounter good, SignalCounter total, TimeSpan window)
    {
        var d = Increase(total, window);
        return d > 0 ? (d - Increase(good, window)) / d : null;
    }

    /// <summary>
    /// <c>histogram_quantile(q, sum by (le) (rate(h_bucket[w]))) and on() (sum(rate(h_count[w])) &gt; 0)</c>: null
    /// without observations in the window.
    /// </summary>
    public double? Quantile(SignalHistogram histogram, double q, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var total = Increase(histogram.Count, window);
        if (!(total > 0))
        {
            return null;
        }

        Span<double> buckets = stackalloc double[histogram.Bounds.Count];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = Increase(histogram.Buckets[i], window);
        }

        var value = HistogramQuantile.Of(q, histogram.Bounds, buckets, total);
        return double.IsNaN(value) ? null : value;
    }

    /// <summary>
    /// <c>avg_over_time((increase(counter[window]))[range:step])</c>: the mean of the increase at each multiple of
    /// <paramref name="step"/> in <c>(At - range, At]</c> where the counter's series existed for the whole window;
    /// null when there is none.
    /// </summary>
    public double? AverageIncrease(SignalCounter counter, TimeSpan window, TimeSpan range, TimeSpan step)
    {
        if (_history.FirstSeen(counter) is not { } first)
        {
            return null;
        }

        var sum = 0.0;
        var n = 0;
        var last = new DateTimeOffset(At.UtcTicks - (At.UtcTicks % step.Ticks), TimeSpan.Zero);
        for (var t = last; t > At - range; t -= step)
        {
            if (t - window < first)
            {
                break;
            }

            sum += _history.Increase(counter, t, window);
            n++;
        }

        return n == 0 ? null : sum / n;
    }

    /// <summary>The samples of gauge <paramref name="name"/> whose labels pass <paramref name="match"/> (all when null).</summary>
    public AlertVector Gauge(string name, Func<IReadOnlyDictionary<string, string>, bool>? match = null) =>
        AlertVector.Of(_gauges
            .Where(g => g.Name == name && (match is null || match(g.Labels)))
            .Select(g => new AlertSample(g.Labels, g.Value)));

    /// <summary><c>max(name)</c>: the highest value of gauge <paramref name="name"/>; null when it has no series.</summary>
    public double? GaugeMax(string name)
    {
        double? max = null;
        foreach (var g in _gauges)
        {
            if (g.Name == name && !double.IsNaN(g.Value) && (max is null || g.Value > max))
            {
                max = g.Value;
            }
        }

        return max;
    }
}
