using Vigil.Metrics;
using Vigil.Reports;

namespace Vigil.Alerting.Engine;

/// <summary><c>vigil_budget_monthly_dollars</c>: the configured monthly budget, as the signal pipeline exports it.</summary>
public sealed class BudgetGauge(SignalOptions options) : IAlertGaugeSource
{
    /// <inheritdoc/>
    public IEnumerable<GaugeSample> Read() =>
        [new GaugeSample(MetricNames.BudgetMonthly, AlertSample.NoLabels, (double)options.MonthlyBudgetUsd)];
}
