using System.Runtime.CompilerServices;
namespace Vigil.Slo;

/// <summary>The SLO figures of one dimension (global, a model, a feature, a user tier) over some records.</summary>
public sealed class SloStats
{
    /// <summary>Interactions.</summary>
    public long Requests { get; private set; }

    /// <summary>Interactions with status success.</summary>
    public long Successes { get; private set; }

    /// <summary>Interactions with neither a hard nor a soft error.</summary>
    public long Good { get; private set; }

    /// <summary>latency_ms of every interaction.</summary>
    public QuantileSketch LatencyMs { get; } = new();

    /// <summary>ttft_ms of the interactions that have one.</summary>
    public QuantileSketch TtftMs { get; } = new();

    /// <summary>Adds (sign 1) or removes (sign −1) one interaction.</summary>
    public void Add(bool success, bool good, double latencyMs, double? ttftMs, int sign = 1) =>
        AddAtIndex(success, good, QuantileSketch.IndexOf(latencyMs), ttftMs is { } ttft ? QuantileSketch.IndexOf(ttft) : null, sign);

    /// <summary>Like <see cref="Add"/>, with the sketch buckets already computed (one logarithm for every dimension).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddAtIndex(bool success, bool good, int latencyIndex, int? ttftIndex, int sign = 1)
    {
        Requests += sign;
        if (success)
        {
            Successes += sign;
        }

        if (good)
        {
            Good += sign;
        }

        LatencyMs.AddAtIndex(latencyIndex, sign);
        if (ttftIndex is { } ttft)
        {
            TtftMs.AddAtIndex(ttft, sign);
        }
    }

    /// <summary>Adds every interaction of <paramref name="other"/>.</summary>
    public void Merge(SloStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Requests += other.Requests;
        Successes += other.Successes;
        Good += other.Good;
        LatencyMs.Merge(other.LatencyMs);
        TtftMs.Merge(other.TtftMs);
    }
}
