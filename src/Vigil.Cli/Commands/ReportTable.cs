using System.Globalization;
using Vigil.Reports;

namespace Vigil.Cli.Commands;

/// <summary>The health report as a readable summary for a person.</summary>
internal static class ReportTable
{
    public static void Write(HealthReport report, TextWriter output)
    {
        output.WriteLine($"Vigil health report  {Time(report.Window.From)} .. {Time(report.Window.To)}");
        output.WriteLine();
        output.WriteLine(Row("dimension", "requests", "success", "good", "p50 ms", "p95 ms", "p99 ms", "ttft p95", "budget left"));
        foreach (var (key, f) in report.Sla)
        {
            output.WriteLine(Row(key, f.Requests.ToString(CultureInfo.InvariantCulture), Percent(f.SuccessRate), Percent(f.GoodRate),
                Number(f.P50Ms), Number(f.P95Ms), Number(f.P99Ms), Number(f.TtftP95Ms), Number(f.ErrorBudgetRemainingPercent, "%")));
        }

        output.WriteLine();
        output.WriteLine("errors: " + (report.Errors.Count == 0 ? "none" : string.Join(", ", report.Errors.Select(e => $"{e.Key} {e.Value}"))));
        output.WriteLine($"tokens: input {report.Tokens.Input}, output {report.Tokens.Output}, cached {report.Tokens.Cached}");
        var cost = report.Cost;
        output.WriteLine($"cost: ${cost.TotalUsd.ToString("0.####", CultureInfo.InvariantCulture)} total, " +
                         $"{(cost.PerInteractionUsd is { } per ? "$" + per.ToString("0.######", CultureInfo.InvariantCulture) : "-")} per interaction");
        foreach (var (name, map) in new[] { ("by model", cost.ByModel), ("by feature", cost.ByFeature), ("by user tier", cost.ByUserTier), ("top users", cost.TopUsers) })
        {
            if (map.Count > 0)
            {
                output.WriteLine($"  {name}: " + string.Join(", ", map.OrderByDescending(p => p.Value).Select(p => $"{p.Key} ${p.Value.ToString("0.####", CultureInfo.InvariantCulture)}")));
            }
        }

        var b = cost.Budget;
        output.WriteLine($"budget: ${b.MonthTotalUsd.ToString("0.##", CultureInfo.InvariantCulture)} of ${b.MonthlyBudgetUsd.ToString("0.##", CultureInfo.InvariantCulture)} this month " +
                         $"({b.UsagePercent.ToString("0.#", CultureInfo.InvariantCulture)}%), projected ${b.ProjectedMonthlyUsd.ToString("0.##", CultureInfo.InvariantCulture)}" +
                         (b.ProjectedOverBudget ? "  OVER BUDGET" : string.Empty));
        output.WriteLine($"cache: {report.Cache.Hits} hits, {report.Cache.Misses} misses, hit rate {Percent(report.Cache.HitRate)}");
        var s = report.Satisfaction;
        output.WriteLine($"satisfaction: {s.TotalFeedbacks} feedbacks, thumbs up {Percent(s.ThumbsUpRate)}, rating {Number(s.AvgRating)}, " +
                         $"csat {Number(s.AvgCsat)} ({Number(s.CsatSatisfiedPercent, "%")} satisfied), nps {(s.Nps is { } nps ? nps.ToString(CultureInfo.InvariantCulture) : "-")}");
        output.WriteLine($"quality: {report.Quality.Evaluated} evaluated, overall {Number(report.Quality.AvgOverall)}, hallucination rate {Percent(report.Quality.HallucinationRate)}");
        if (report.Quality.RecentHallucinations is { } recent)
        {
            output.WriteLine($"recent hallucinations: {Percent(recent.Rate)} of the last {recent.Verdicts} verdicts (high {recent.BySeverity.High}, medium {recent.BySeverity.Medium}, low {recent.BySeverity.Low})");
        }

        if (report.Drift.QualityOverall is { } drift)
        {
            output.WriteLine(drift.Ready
                ? $"quality drift (overall): z {Number(drift.ZScore)}, {drift.Severity.ToString().ToLowerInvariant()}{(drift.IsDrifting ? ", drifting" : string.Empty)}"
                : $"quality drift (overall): not ready ({drift.ReferenceCount} reference, {drift.DetectionCount} recent verdicts)");
        }
        if (report.Drift.Embedding is { } embedding)
        {
            output.WriteLine($"embedding drift ({embedding.DriftType}): score {Number(embedding.DriftScore)}, {embedding.Severity.ToString().ToLowerInvariant()}{(embedding.IsDrifting ? ", drifting" : string.Empty)}");
        }

        output.WriteLine($"incident mode: {report.Incident.Mode}");
        if (report.Alerts.Count > 0)
        {
            output.WriteLine("alerts: " + string.Join(", ", report.Alerts.Select(a => $"{a.Name} ({a.Severity}, {a.State})")));
        }
    }

    private static string Row(params string[] cells) =>
        cells[0].PadRight(32) + string.Concat(cells.Skip(1).Select(c => c.PadLeft(12)));

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Number(double? value, string suffix = "") => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + suffix : "-";

    private static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
