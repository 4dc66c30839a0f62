using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Vigil.Benchmarks;

/// <summary>
/// Row minus the baseline (Bare) row of the same logical group: the middleware's own cost, in ns (medians) or bytes.
/// BenchmarkDotNet's Ratio columns divide by a baseline of about 1 ns, which says nothing; a difference does.
/// </summary>
public sealed class OverheadColumn : IColumn
{
    private readonly bool _bytes;

    private OverheadColumn(bool bytes) => _bytes = bytes;

    public static IColumn Time { get; } = new OverheadColumn(bytes: false);

    public static IColumn Bytes { get; } = new OverheadColumn(bytes: true);

    public string Id => _bytes ? "OverheadBytes" : "OverheadTime";

    public string ColumnName => _bytes ? "Overhead B" : "Overhead ns";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => _bytes ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _bytes
        ? "Allocated bytes per call minus the Bare row's of the same group"
        : "Median time per call in ns minus the Bare row's of the same group (the median resists bursts of load on a shared machine)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    // Only tables with a Bare baseline row: elsewhere (the refusal scan) a difference means nothing.
    public bool IsAvailable(Summary summary) =>
        summary?.BenchmarksCases.Any(c => c.Descriptor.Baseline && c.Descriptor.WorkloadMethodDisplayInfo == "Bare") == true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        if (baseline is null || summary[benchmarkCase] is not { } report || summary[baseline] is not { } baseReport)
        {
            return "-";
        }

        if (_bytes)
        {
            var row = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
            var bare = baseReport.GcStats.GetBytesAllocatedPerOperation(baseline);
            return row is { } r && bare is { } b ? (r - b).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "?";
        }

        if (report.ResultStatistics is not { } stats || baseReport.ResultStatistics is not { } baseStats)
        {
            return "?";
        }

        return (stats.Median - baseStats.Median).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
