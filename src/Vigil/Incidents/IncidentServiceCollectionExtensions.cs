using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Configuration;
using Vigil.Incidents;
using Vigil.Metrics;
using Vigil.Reports;
using Vigil.Signals;
using Vigil.Sinks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilIncidents()</c>.</summary>
public static class IncidentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the incident responder in either host: <see cref="IncidentOptions"/> bound from <c>Vigil:Incidents</c>,
    /// <see cref="DegradationOptions"/> from <c>Vigil:Degradation</c> (both validated at start), one
    /// <see cref="IncidentResponder"/> (with the registered <see cref="TimeProvider"/>, if any); its recent window
    /// (<see cref="IncidentWindow"/>, an <see cref="ISignalObserver"/> of the signal pipeline), the
    /// <see cref="IncidentAssessor"/> that judges it every <see cref="IncidentOptions.AssessInterval"/>, the report's
    /// <c>incident</c>, and the <c>llm_degradation_mode</c> gauge. The <see cref="IDegradationModeSource"/>
    /// <c>UseDegradation()</c> takes from services is the responder, or with <c>Vigil:Degradation:Source</c> =
    /// <c>collector</c> a <see cref="CollectorDegradationModeSource"/> polling the collector of <c>Vigil:Collector</c>
    /// (bound by <c>AddVigil()</c>). Registrations already made win; a second call does nothing.
    /// </summary>
    public static IServiceCollection AddVigilIncidents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IncidentWindow)))
        {
            return services;
        }

        services.AddVigilOptions<IncidentOptions>(IncidentOptions.SectionName);
        services.AddVigilOptions<DegradationOptions>(DegradationOptions.SectionName);
        services.TryAddSingleton(sp => new IncidentResponder(sp.GetOptions<IncidentOptions>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new IncidentWindow(sp.GetOptions<IncidentOptions>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<ISignalObserver>(sp => sp.GetRequiredService<IncidentWindow>());
        services.AddSingleton<IReportContributor>(sp => new IncidentReportContributor(sp.GetRequiredService<IncidentResponder>()));

        services.AddHttpClient(CollectorDegradationModeSource.HttpClientName).RemoveAllLoggers();
        services.TryAddSingleton(sp => new CollectorDegradationModeSource(
            sp.GetService<IOptions<CollectorOptions>>()?.Value ?? new CollectorOptions(),
            sp.GetOptions<DegradationOptions>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<CollectorDegradationModeSource>>()));
        services.TryAddSingleton<IDegradationModeSource>(sp => sp.GetOptions<DegradationOptions>().Source == DegradationSource.Collector
            ? sp.GetRequiredService<CollectorDegradationModeSource>()
            : sp.GetRequiredService<IncidentResponder>());
        services.TryAddSingleton(sp => new DegradationModeGauge(sp.GetService<VigilMetrics>() ?? VigilMetrics.Shared, sp.GetRequiredService<IDegradationModeSource>()));
        services.TryAddSingleton(sp => new IncidentAssessor(sp.GetRequiredService<IncidentResponder>(), sp.GetRequiredService<IncidentWindow>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IHostedService>(sp =>
        {
            _ = sp.GetRequiredService<DegradationModeGauge>(); // the gauge exists from the start
            return sp.GetRequiredService<IncidentAssessor>();
        });
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<CollectorDegradationModeSource>());
        return services;
    }
}
