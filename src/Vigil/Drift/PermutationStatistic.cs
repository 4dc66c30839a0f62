using System.Runtime.CompilerServices;

namespace Vigil.Drift;

/// <summary>
/// The unbiased MMD² of a split of the pooled sample into X (mask 1, n vectors) and Y (mask 0, m vectors), from the
/// pooled kernel matrix K with a zero diagonal, its row sums R and total T:
/// S_XX = Σ_{i∈X} K_i · mask, S_XY = Σ_{i∈X} R_i − S_XX, S_YY = T − S_XX − 2·S_XY, and
/// MMD² = S_XX / (n(n−1)) + S_YY / (m(m−1)) − 2·S_XY / (nm). A split costs n·(n+m) multiply-adds.
/// </summary>
internal sealed class PermutationStatistic(double[] kernel, double[] rowSums, double total, int n, int m)
{
    private readonly int _count = n + m;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Mmd2(double[] mask)
    {
        double sxx = 0, rows = 0;
        for (var i = 0; i < _count; i++)
        {
            if (mask[i] != 0)
            {
                sxx += Pairwise.Dot(kernel.AsSpan(i * _count, _count), mask);
                rows += rowSums[i];
            }
        }

        var sxy = rows - sxx;
        var syy = total - sxx - (2 * sxy);
        return (sxx / ((double)n * (n - 1))) + (syy / ((double)m * (m - 1))) - (2 * sxy / ((double)n * m));
    }
}
