using Vigil.Drift;

namespace Vigil.Tests.Drift;

/// <summary>Seeded Gaussian embedding sets for the drift tests.</summary>
internal static class GaussianData
{
    public static EmbeddingSet Set(Random random, int count, int dimensions, double shift = 0.0, int shiftedDimensions = int.MaxValue)
    {
        var values = new double[count * dimensions];
        for (var i = 0; i < count; i++)
        {
            for (var d = 0; d < dimensions; d++)
            {
                values[(i * dimensions) + d] = Normal(random) + (d < shiftedDimensions ? shift : 0.0);
            }
        }

        return new EmbeddingSet(values, dimensions);
    }

    public static double Normal(Random random)
    {
        // Box-Muller; 1 - NextDouble() is in (0, 1].
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
