namespace Vigil.Reports;

/// <summary>Hallucinations by severity (the seed's low, medium, high).</summary>
public sealed record HallucinationSeverityCounts(int Low, int Medium, int High);
