using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Alerting;
using Vigil.Alerting.Engine;
using Vigil.Configuration;
using Vigil.Evaluation.Quality;
using Vigil.Reports;
using Vigil.Signals;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilAlertEngine()</c>, called by <c>AddVigil()</c>: both hosts evaluate the catalog.</summary>
public static class AlertEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers Vigil's own alert engine: <see cref="AlertEngineOptions"/> from <c>Vigil:Alerting:Engine</c>, the
    /// counters' <see cref="SignalHistory"/> fed by an <see cref="ISignalObserver"/>, the gauges (quality drift, budget;
    /// the collector adds embedding drift), the <see cref="AlertEngine"/> as an <see cref="IActiveAlertSource"/>, the
    /// report's <c>alerts</c> from every source (<see cref="ActiveAlerts"/>), and the loop that evaluates. The engine
    /// publishes to the <see cref="IAlertStateChangeSink"/> and saves to the <see cref="IAlertStateStore"/> if registered.
    /// </summary>
    public static IServiceCollection AddVigilAlertEngine(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(AlertEngine)))
        {
            return services;
        }

        services.AddVigilOptions<AlertEngineOptions>(AlertEngineOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SignalHistory(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISignalObserver>(sp => new AlertSignalObserver(sp.GetRequiredService<SignalHistory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAlertGaugeSource>(sp => new QualityDriftGauges(sp.GetRequiredService<QualityWatch>()));
        services.AddSingleton<IAlertGaugeSource>(sp => new BudgetGauge(sp.GetOptions<SignalOptions>()));
        services.AddSingleton(sp => new AlertEngine(
            sp.GetRequiredService<SignalHistory>(), sp.GetServices<IAlertGaugeSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IAlertStateChangeSink>(), logger: sp.GetService<ILogger<AlertEngine>>()));
        services.AddSingleton<IActiveAlertSource>(sp => sp.GetRequiredService<AlertEngine>());
        services.TryAddSingleton(sp => new ActiveAlerts(sp.GetServices<IActiveAlertSource>()));
        services.AddSingleton<IReportContributor>(sp => sp.GetRequiredService<ActiveAlerts>());
        services.AddSingleton(sp => new AlertEngineLoop(
            sp.GetRequiredService<AlertEngine>(), sp.GetOptions<AlertEngineOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IAlertStateStore>(), sp.GetService<IHostApplicationLifetime>(), sp.GetService<ILogger<AlertEngineLoop>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertEngineLoop>());
        return services;
    }
}
