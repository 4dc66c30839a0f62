using Vigil.Tests.Drift;

namespace Vigil.Tests.Evaluation.Quality;

/// <summary>Seeded score streams for the quality drift tests.</summary>
internal static class QualityScores
{
    /// <summary>A normal score with <paramref name="mean"/> and <paramref name="sd"/> (not clamped: the detector takes any finite number).</summary>
    public static double Normal(Random random, double mean, double sd) => mean + (sd * GaussianData.Normal(random));

    /// <summary>A judge-like integer score 1..5 drawn from <paramref name="probabilities"/> (for 1, 2, 3, 4, 5).</summary>
    public static double Integer(Random random, IReadOnlyList<double> probabilities)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative)
            {
                return i + 1;
            }
        }

        return probabilities.Count;
    }
}
