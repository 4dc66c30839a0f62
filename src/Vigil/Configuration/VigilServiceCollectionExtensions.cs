using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Configuration;
using Vigil.Evaluation.Quality;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Reports;
using Vigil.Signals;
using Vigil.Sinks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigil()</c>.</summary>
public static class VigilServiceCollectionExtensions
{
    /// <summary>
    /// Registers Vigil in an app: options bound from the <c>Vigil</c> configuration section (and <c>Vigil:Signals</c>,
    /// <c>Vigil:QualityDrift</c>) and validated at start, the metric catalog on the <c>Vigil</c> meter, the price
    /// catalog, and the signal pipeline in-process (<see cref="VigilMonitor"/>), which every call through
    /// <c>UseVigil()</c> feeds. <see cref="VigilMonitor.GetReport"/> gives the health report. With
    /// <c>Vigil:Collector:Endpoint</c> set, the same records and the feedback recorded through <c>VigilFeedback</c>
    /// also go to that collector (<see cref="CollectorSink"/>).
    /// </summary>
    public static IServiceCollection AddVigil(this IServiceCollection services, Action<VigilOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddVigilOptions<VigilOptions>(VigilOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddVigilOptions<SignalOptions>(SignalOptions.SectionName);
        services.AddVigilOptions<QualityDriftOptions>(QualityDriftOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new VigilMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetOptions<VigilOptions>();
            return PriceCatalog.Default.With(o.Prices.AsReadOnly(), o.FallbackPrice);
        });
        services.TryAddSingleton(sp => new MetricCatalogWriter(sp.GetRequiredService<VigilMetrics>(), sp.GetOptions<VigilOptions>()));
        services.TryAddSingleton(sp => new QualityWatch(sp.GetOptions<QualityDriftOptions>(), sp.GetRequiredService<VigilMetrics>()));
        services.TryAddSingleton(sp => new SignalPipeline(sp.GetOptions<SignalOptions>(), sp.GetRequiredService<PriceCatalog>(),
            sp.GetRequiredService<MetricCatalogWriter>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<QualityWatch>(),
            sp.GetServices<ISignalObserver>()));
        services.TryAddSingleton(sp => new ReportContributors(sp.GetServices<IReportContributor>()));
        services.TryAddSingleton(sp => new VigilMonitor(sp.GetRequiredService<SignalPipeline>(), sp.GetRequiredService<ReportContributors>()));
        services.AddVigilCollectorSink();
        services.AddVigilNotifiers();
        services.AddVigilAlertEngine();
        services.TryAddSingleton<IInteractionSink>(sp =>
            CompositeInteractionSink.Of(sp.GetRequiredService<VigilMonitor>(), sp.GetRequiredService<CollectorSink>()));
        return services;
    }
}
