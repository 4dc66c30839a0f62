using System.Runtime.CompilerServices;

namespace Vigil.Drift;

/// <summary>
/// The unbiased MMD² of splits of the pooled sample into X (mask 1, n vectors) and Y (mask 0, m vectors), from the
/// pooled kernel matrix K with a zero diagonal, its row sums R and total T:
/// S_XX = Σ_{i∈X} K_i · mask, S_XY = Σ_{i∈X} R_i − S_XX, S_YY = T − S_XX − 2·S_XY, and
/// MMD² = S_XX / (n(n−1)) + S_YY / (m(m−1)) − 2·S_XY / (nm). A split costs n·(n+m) multiply-adds.
/// A batch of splits is evaluated row by row, so each row of K is read from memory once per batch rather than once per
/// split. Rows are summed in fixed blocks, and the blocks in order, so a split's value does not depend on the batch it
/// is in nor on how the blocks were scheduled: the same split always gives the same bits.
/// </summary>
internal sealed class PermutationStatistic(double[] kernel, double[] rowSums, double total, int n, int m)
{
    private const int RowBlock = 32;
    private readonly int _count = n + m;

    /// <summary>The MMD² of every split in <paramref name="masks"/>, into <paramref name="results"/>.</summary>
    public void Mmd2(double[][] masks, double[] results)
    {
        var batch = masks.Length;
        var blocks = (_count + RowBlock - 1) / RowBlock;
        var sxx = new double[blocks * batch];
        var rows = new double[blocks * batch];
        if ((long)batch * n * _count < 2_000_000)
        {
            for (var block = 0; block < blocks; block++)
            {
                SumBlock(block, masks, sxx, rows);
            }
        }
        else
        {
            Parallel.For(0, blocks, block => SumBlock(block, masks, sxx, rows));
        }

        for (var b = 0; b < batch; b++)
        {
            double xx = 0, r = 0;
            for (var block = 0; block < blocks; block++)
            {
                xx += sxx[(block * batch) + b];
                r += rows[(block * batch) + b];
            }

            var xy = r - xx;
            var yy = total - xx - (2 * xy);
            results[b] = (xx / ((double)n * (n - 1))) + (yy / ((double)m * (m - 1))) - (2 * xy / ((double)n * m));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumBlock(int block, double[][] masks, double[] sxx, double[] rows)
    {
        var batch = masks.Length;
        var end = Math.Min(_count, (block + 1) * RowBlock);
        for (var i = block * RowBlock; i < end; i++)
        {
            var row = kernel.AsSpan(i * _count, _count);
            for (var b = 0; b < batch; b++)
            {
                var mask = masks[b];
                if (mask[i] != 0)
                {
                    sxx[(block * batch) + b] += Pairwise.Dot(row, mask);
                    rows[(block * batch) + b] += rowSums[i];
                }
            }
        }
    }
}
