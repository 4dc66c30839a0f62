using System.Runtime.CompilerServices;
namespace Vigil.Slo;

/// <summary>
/// A mergeable quantile sketch with relative accuracy (DDSketch's log-spaced buckets): any quantile it
/// returns is within <see cref="RelativeAccuracy"/> (0.5%) of the exact order statistic. Memory is bounded
/// by the number of buckets between the smallest and largest value (about 2,300 for 1 µs to 1 hour),
/// not by how many values were added. Values can be removed again, so a replaced record un-counts.
/// </summary>
public sealed class QuantileSketch
{
    /// <summary>The relative error bound of every quantile.</summary>
    public const double RelativeAccuracy = 0.005;

    private const double MinPositive = 1e-3;
    private const int ZeroIndex = int.MinValue;
    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    private long[] _counts = [];
    private int _offset;
    private long _zeroCount;

    /// <summary>How many values it holds.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="value"/> (negative weight removes it).</summary>
    public void Add(double value, long weight = 1)
    {
        if (!double.IsFinite(value) || weight == 0)
        {
            return;
        }

        AddAtIndex(IndexOf(value), weight);
    }

    /// <summary>The bucket of <paramref name="value"/>, for adding one value to several sketches with one logarithm.</summary>
    public static int IndexOf(double value) => value < MinPositive ? ZeroIndex : (int)Math.Ceiling(Math.Log(value) / LogGamma);

    /// <summary>Adds a value by its <see cref="IndexOf"/> bucket (negative weight removes it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddAtIndex(int index, long weight = 1)
    {
        Count += weight;
        if (index == ZeroIndex)
        {
            _zeroCount += weight;
            return;
        }

        EnsureRange(index, index);
        _counts[index - _offset] += weight;
    }

    /// <summary>Adds every value of <paramref name="other"/> (negative <paramref name="sign"/> removes them).</summary>
    public void Merge(QuantileSketch other, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0 && other._zeroCount == 0 && other._counts.Length == 0)
        {
            return;
        }

        Count += sign * other.Count;
        _zeroCount += sign * other._zeroCount;
        if (other._counts.Length == 0)
        {
            return;
        }

        EnsureRange(other._offset, other._offset + other._counts.Length - 1);
        var shift = other._offset - _offset;
        for (var i = 0; i < other._counts.Length; i++)
        {
            _counts[shift + i] += sign * other._counts[i];
        }
    }

    /// <summary>
    /// The value at rank <c>floor(q · n)</c> of the sorted values (the seed's <c>latencies[int(n * q)]</c>),
    /// within 0.5%; null when empty.
    /// </summary>
    public double? Quantile(double q)
    {
        if (Count <= 0)
        {
            return null;
        }

        var rank = Math.Min(Count - 1, (long)Math.Floor(Math.Clamp(q, 0, 1) * Count));
        var seen = _zeroCount;
        if (rank < seen)
        {
            return 0;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (rank < seen)
            {
                return 2 * Math.Pow(Gamma, i + _offset) / (Gamma + 1);
            }
        }

        return 2 * Math.Pow(Gamma, _counts.Length - 1 + _offset) / (Gamma + 1);
    }

    /// <summary>A copy.</summary>
    public QuantileSketch Clone()
    {
        var copy = new QuantileSketch();
        copy.Merge(this);
        return copy;
    }

    private void EnsureRange(int low, int high)
    {
        if (_counts.Length == 0)
        {
            _offset = low;
            _counts = new long[Math.Max(16, high - low + 1)];
            return;
        }

        var currentHigh = _offset + _counts.Length - 1;
        if (low >= _offset && high <= currentHigh)
        {
            return;
        }

        var newLow = Math.Min(low, _offset);
        var newHigh = Math.Max(high, currentHigh);
        // Grow with slack so a slowly widening range does not copy on every value.
        var slack = Math.Max(16, (newHigh - newLow + 1) / 4);
        if (newLow < _offset)
        {
            newLow -= slack;
        }

        if (newHigh > currentHigh)
        {
            newHigh += slack;
        }

        var grown = new long[newHigh - newLow + 1];
        Array.Copy(_counts, 0, grown, _offset - newLow, _counts.Length);
        _counts = grown;
        _offset = newLow;
    }
}
