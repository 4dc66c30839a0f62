namespace Vigil.Evaluation.Calibration;

/// <summary>
/// Counts of (human category, judge category) pairs over k ordered categories, and the agreement measures of two
/// raters computed from them. Rows are the human's category, columns the judge's (scikit-learn's
/// <c>confusion_matrix(y_true=human, y_pred=judge)</c>). Every measure is null without pairs; the kappas are also
/// null when chance agreement is total (both raters used one and the same category), where they are 0/0.
/// Sums are kept in integers, so each measure is one division of exact counts (checked: far beyond any labelled set).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>Creates an empty matrix of <paramref name="categories"/> × <paramref name="categories"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 or more than 100 categories.</exception>
    public ConfusionMatrix(int categories)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(categories, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(categories, 100);
        Categories = categories;
        _counts = new long[categories * categories];
    }

    /// <summary>The number of categories k.</summary>
    public int Categories { get; }

    /// <summary>The number of pairs.</summary>
    public long Total { get; private set; }

    /// <summary>Pairs with the human in category <paramref name="human"/> and the judge in <paramref name="judge"/> (0-based).</summary>
    public long this[int human, int judge] => _counts[Index(human, judge)];

    /// <summary>Counts one pair (0-based categories).</summary>
    public void Add(int human, int judge)
    {
        _counts[Index(human, judge)]++;
        Total++;
    }

    /// <summary>Share of pairs in the same category: observed agreement p_o.</summary>
    public double? Agreement => Total > 0 ? (double)Band(0) / Total : null;

    /// <summary>Share of pairs at most one category apart.</summary>
    public double? WithinOneAgreement => Total > 0 ? (double)Band(1) / Total : null;

    /// <summary>Cohen's kappa (p_o − p_e) / (1 − p_e), p_e = Σ rowᵢ·colᵢ / N².</summary>
    public double? CohenKappa
    {
        get
        {
            if (Total == 0)
            {
                return null;
            }

            var (rows, columns) = Marginals();
            long chance = 0;
            for (var i = 0; i < Categories; i++)
            {
                chance = checked(chance + (rows[i] * columns[i]));
            }

            var squared = checked(Total * Total);
            return squared == chance ? null : (double)((Total * Band(0)) - chance) / (squared - chance);
        }
    }

    /// <summary>
    /// Quadratic-weighted kappa 1 − Σ wᵢⱼ·Oᵢⱼ / Σ wᵢⱼ·Eᵢⱼ with wᵢⱼ = (i − j)² / (k − 1)² and Eᵢⱼ = rowᵢ·colⱼ / N
    /// (scikit-learn's <c>cohen_kappa_score(weights="quadratic")</c>): near misses cost little, far misses much.
    /// </summary>
    public double? QuadraticWeightedKappa
    {
        get
        {
            if (Total == 0)
            {
                return null;
            }

            var (rows, columns) = Marginals();
            long observed = 0, expected = 0;
            for (var i = 0; i < Categories; i++)
            {
                for (var j = 0; j < Categories; j++)
                {
                    long weight = (i - j) * (i - j);
                    observed = checked(observed + (weight * this[i, j]));
                    expected = checked(expected + (weight * rows[i] * columns[j]));
                }
            }

            // 1 − (Σw·O) / (Σw·r·c / N) = (Σw·r·c − N·Σw·O) / Σw·r·c; the (k − 1)² cancels.
            return expected == 0 ? null : (double)checked(expected - (Total * observed)) / expected;
        }
    }

    /// <summary>The counts as rows (human) of columns (judge).</summary>
    public long[][] ToArray()
    {
        var rows = new long[Categories][];
        for (var i = 0; i < Categories; i++)
        {
            rows[i] = _counts.AsSpan(i * Categories, Categories).ToArray();
        }

        return rows;
    }

    private long Band(int width)
    {
        long sum = 0;
        for (var i = 0; i < Categories; i++)
        {
            for (var j = Math.Max(0, i - width); j <= Math.Min(Categories - 1, i + width); j++)
            {
                sum += this[i, j];
            }
        }

        return sum;
    }

    private (long[] Rows, long[] Columns) Marginals()
    {
        var rows = new long[Categories];
        var columns = new long[Categories];
        for (var i = 0; i < Categories; i++)
        {
            for (var j = 0; j < Categories; j++)
            {
                rows[i] += this[i, j];
                columns[j] += this[i, j];
            }
        }

        return (rows, columns);
    }

    private int Index(int human, int judge)
    {
        if ((uint)human >= (uint)Categories || (uint)judge >= (uint)Categories)
        {
            throw new ArgumentOutOfRangeException(human < 0 || human >= Categories ? nameof(human) : nameof(judge), $"Categories are 0 to {Categories - 1}.");
        }

        return (human * Categories) + judge;
    }
}
