namespace Vigil.Server.Tests.Infrastructure;

/// <summary>Figures computed the plain way from all the values, to check the collector's sketches against.</summary>
public static class ExactStatistics
{
    /// <summary>The contract's order statistic: sorted[min(n-1, floor(q·n))].</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        Assert.NotEmpty(sorted);
        var rank = Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length));
        return sorted[rank];
    }

    /// <summary>Asserts <paramref name="actual"/> is within <paramref name="percent"/>% of <paramref name="expected"/>.</summary>
    public static void AssertWithinPercent(double expected, double? actual, double percent, string what)
    {
        Assert.True(actual is not null, $"{what}: expected about {expected}, got null");
        var error = Math.Abs(actual!.Value - expected) / Math.Abs(expected);
        Assert.True(error <= percent / 100, $"{what}: expected {expected} within {percent}%, got {actual} ({error:P3} off)");
    }

    /// <summary>A lognormal value exp(mu + sigma·Z) from a seeded generator (Box–Muller).</summary>
    public static double NextLogNormal(Random random, double mu, double sigma)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Exp(mu + (sigma * z));
    }
}
