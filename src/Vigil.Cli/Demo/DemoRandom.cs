namespace Vigil.Cli.Demo;

/// <summary>
/// The demo's dice: every decision about a call comes from the run's seed and the call's number (SplitMix64), not from
/// the order calls happen to arrive in, so the same <c>--seed</c> gives the same run.
/// </summary>
internal struct DemoRandom
{
    private ulong _state;

    public DemoRandom(int seed, long call, int stream = 0) =>
        _state = unchecked(((ulong)(uint)seed << 32) ^ (ulong)call * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)stream * 0xD1B54A32D192ED03UL);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Uniform in [0, <paramref name="max"/>).</summary>
    public int Next(int max) => (int)(NextDouble() * max);

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A long-tailed draw: log-normal with this median and spread (σ of the log).</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * NextGaussian());

    private ulong NextBits()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
