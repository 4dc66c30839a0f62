using Vigil.Alerting.Engine;
using Vigil.Configuration;
using Vigil.Server.Drift;
using Vigil.Server.Hosting;
using Vigil.Server.Storage;
using Vigil.Server.Storage.Alerts;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilAlertStateStore()</c>, called by <c>AddVigilCollector</c>.</summary>
public static class AlertStateStoreServiceCollectionExtensions
{
    /// <summary>
    /// Gives the collector's alert engine what only the collector has: an <see cref="IAlertStateStore"/> in the
    /// collector's store (PostgreSQL with <c>Vigil:Server:Store</c>, else the SQLite file under
    /// <c>Vigil:Server:DataDirectory</c>), so alert state survives a restart, and the embedding drift watch's gauge.
    /// </summary>
    public static IServiceCollection AddVigilAlertStateStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IAlertStateStore)))
        {
            return services;
        }

        services.AddSingleton<IAlertStateStore>(sp =>
        {
            var options = sp.GetOptions<VigilServerOptions>();
            return string.IsNullOrWhiteSpace(options.Store)
                ? new SqliteAlertStateStore(Path.Combine(Path.GetFullPath(options.DataDirectory), SqliteVigilStore.FileName), options.Sqlite.BusyTimeout)
                : new PostgresAlertStateStore(options.Store);
        });
        services.AddSingleton<IAlertGaugeSource>(sp => new EmbeddingDriftGauges(sp.GetService<EmbeddingDriftWatch>()));
        return services;
    }
}
