using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Configuration;
using Vigil.Incidents;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilIncidents()</c>.</summary>
public static class IncidentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the incident responder: <see cref="IncidentOptions"/> bound from <c>Vigil:Incidents</c>,
    /// <see cref="DegradationOptions"/> from <c>Vigil:Degradation</c> (both validated at start), one
    /// <see cref="IncidentResponder"/> (with the registered <see cref="TimeProvider"/>, if any) that is also the
    /// <see cref="IDegradationModeSource"/> <c>UseDegradation()</c> takes from services. Registrations already made win.
    /// </summary>
    public static IServiceCollection AddVigilIncidents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddVigilOptions<IncidentOptions>(IncidentOptions.SectionName);
        services.AddVigilOptions<DegradationOptions>(DegradationOptions.SectionName);
        services.TryAddSingleton(sp => new IncidentResponder(sp.GetOptions<IncidentOptions>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IDegradationModeSource>(sp => sp.GetRequiredService<IncidentResponder>());
        return services;
    }
}
