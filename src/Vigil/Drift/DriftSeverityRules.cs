namespace Vigil.Drift;

/// <summary>The severity rules shared by the drift methods.</summary>
internal static class DriftSeverityRules
{
    /// <summary>
    /// A test at level alpha: normal when p ≥ alpha, warning when p &lt; alpha, critical when p &lt; alpha/10.
    /// A permutation p-value cannot go below <paramref name="smallestPossible"/> = 1/(B+1); when that is not below
    /// alpha/10 (fewer than 10/alpha − 1 permutations, e.g. the default 100 at alpha 0.05), the smallest p-value it can
    /// give — no permuted statistic reached the observed one — counts as critical.
    /// </summary>
    public static DriftSeverity FromPValue(double p, double alpha, double smallestPossible = 0)
    {
        if (!(p < alpha))
        {
            return DriftSeverity.Normal;
        }

        var critical = alpha / 10;
        return p < critical || (smallestPossible >= critical && p <= smallestPossible)
            ? DriftSeverity.Critical
            : DriftSeverity.Warning;
    }

    /// <summary>A distance: warning when it passes <paramref name="warning"/>, critical when it passes <paramref name="critical"/>.</summary>
    public static DriftSeverity FromDistance(double distance, double warning, double critical) =>
        distance > critical ? DriftSeverity.Critical
        : distance > warning ? DriftSeverity.Warning
        : DriftSeverity.Normal;
}
