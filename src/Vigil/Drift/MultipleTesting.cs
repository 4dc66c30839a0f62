namespace Vigil.Drift;

/// <summary>Adjusted p-values for many simultaneous tests.</summary>
public static class MultipleTesting
{
    /// <summary>Adjusts <paramref name="pValues"/> with <paramref name="correction"/>; the result is in the same order.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues, PValueCorrection correction) => correction switch
    {
        PValueCorrection.Bonferroni => Bonferroni(pValues),
        PValueCorrection.BenjaminiHochberg => BenjaminiHochberg(pValues),
        _ => throw new ArgumentOutOfRangeException(nameof(correction), correction, "Unknown correction."),
    };

    /// <summary>Bonferroni: min(1, p·m) for m tests.</summary>
    public static double[] Bonferroni(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var adjusted = new double[m];
        for (var i = 0; i < m; i++)
        {
            adjusted[i] = Math.Min(1.0, pValues[i] * m);
        }

        return adjusted;
    }

    /// <summary>
    /// Benjamini–Hochberg: with p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p₍ᵢ₎ is min over j ≥ i of min(1, m·p₍ⱼ₎/j)
    /// (as R's <c>p.adjust(method = "BH")</c> and statsmodels' <c>fdr_bh</c>). Rejecting adjusted p &lt; q controls the
    /// false discovery rate at q for independent or positively dependent tests.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            order[i] = i;
        }

        // Stable by index for equal p-values, so the result does not depend on the sort's tie order.
        Array.Sort(order, (x, y) => pValues[x] != pValues[y] ? pValues[x].CompareTo(pValues[y]) : x.CompareTo(y));
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var index = order[rank - 1];
            running = Math.Min(running, Math.Min(1.0, pValues[index] * m / rank));
            adjusted[index] = running;
        }

        return adjusted;
    }
}
