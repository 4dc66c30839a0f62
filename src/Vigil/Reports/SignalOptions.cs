using System.ComponentModel.DataAnnotations;

namespace Vigil.Reports;

/// <summary>How signals are judged: the SLO, the budget, the window. Bound from <c>Vigil:Signals</c>.</summary>
public sealed class SignalOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Signals";

    /// <summary>The availability SLO (share of successful interactions). Default 0.995 (seed §1).</summary>
    [Range(0.5, 0.99999)]
    public double SloTarget { get; set; } = 0.995;

    /// <summary>The monthly budget in USD. Default 5000 (seed §4).</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal MonthlyBudgetUsd { get; set; } = 5000m;

    /// <summary>The sliding window of the collector's report. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "31.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many slices a window is cut into (its time resolution). Default 60.</summary>
    [Range(1, 1440)]
    public int WindowSlices { get; set; } = 60;

    /// <summary>How many users the report lists by cost. Default 10.</summary>
    [Range(0, 1000)]
    public int TopUsers { get; set; } = 10;
}
