using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Configuration;
using Vigil.Server.Hosting;
using Vigil.Server.Storage.Incidents;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilIncidentLog()</c>: the collector's persisted incident log.</summary>
public static class IncidentLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers the incident log store on the collector's store settings (PostgreSQL with <c>Vigil:Server:Store</c>,
    /// else <c>incidents.db</c> in <c>Vigil:Server:DataDirectory</c>), the hosted service that restores the responder
    /// from it at start, and the background writer. Call before <c>AddVigilIncidents()</c>, so the state is restored
    /// before the responder is first assessed. A second call does nothing.
    /// </summary>
    public static IServiceCollection AddVigilIncidentLog(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IncidentLogWriter)))
        {
            return services;
        }

        services.TryAddSingleton<IIncidentLogStore>(sp =>
        {
            var options = sp.GetOptions<VigilServerOptions>();
            return string.IsNullOrWhiteSpace(options.Store)
                ? new SqliteIncidentLogStore(Path.GetFullPath(options.DataDirectory), options.Sqlite.BusyTimeout)
                : new PostgresIncidentLogStore(options.Store);
        });
        services.AddSingleton<IncidentLogWriter>();
        services.AddHostedService<IncidentLogStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<IncidentLogWriter>());
        return services;
    }
}
