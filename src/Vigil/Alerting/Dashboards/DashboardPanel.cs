namespace Vigil.Alerting.Dashboards;

/// <summary>One panel of the Grafana dashboard: what it shows, where and in which unit.</summary>
public sealed record DashboardPanel
{
    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The Grafana panel type: gauge, stat, timeseries, piechart or table.</summary>
    public required string Type { get; init; }

    /// <summary>What it shows and how to read it.</summary>
    public required string Description { get; init; }

    /// <summary>The Grafana unit id (<c>percent</c>, <c>s</c>, <c>currencyUSD</c>, <c>short</c>, <c>none</c>).</summary>
    public required string Unit { get; init; }

    /// <summary>The queries.</summary>
    public required IReadOnlyList<DashboardTarget> Targets { get; init; }

    /// <summary>Column on Grafana's 24-column grid.</summary>
    public required int X { get; init; }

    /// <summary>Row on the grid.</summary>
    public required int Y { get; init; }

    /// <summary>Width in columns.</summary>
    public required int Width { get; init; }

    /// <summary>Height in rows.</summary>
    public required int Height { get; init; }

    /// <summary>The axis or gauge minimum; none when null.</summary>
    public double? Min { get; init; }

    /// <summary>The axis or gauge maximum; none when null.</summary>
    public double? Max { get; init; }

    /// <summary>Decimals shown; Grafana's choice when null.</summary>
    public int? Decimals { get; init; }

    /// <summary>Colour steps; Grafana's default (green, red at 80) when empty.</summary>
    public IReadOnlyList<DashboardThreshold> Thresholds { get; init; } = [];

    /// <summary>Numbers shown as names.</summary>
    public IReadOnlyList<DashboardValueMapping> ValueMappings { get; init; } = [];
}
