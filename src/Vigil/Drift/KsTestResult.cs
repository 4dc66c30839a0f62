namespace Vigil.Drift;

/// <summary>The result of a two-sample Kolmogorov–Smirnov test.</summary>
/// <param name="Statistic">The largest distance between the two empirical CDFs (for an exact p-value, rounded to the lattice h / lcm(n1, n2) as scipy does).</param>
/// <param name="PValue">The two-sided p-value, 0..1.</param>
/// <param name="Exact">True when the p-value is the exact distribution of the statistic; false when it is the asymptotic (one-sample Kolmogorov with n = n1·n2/(n1+n2)) approximation.</param>
public readonly record struct KsTestResult(double Statistic, double PValue, bool Exact);
