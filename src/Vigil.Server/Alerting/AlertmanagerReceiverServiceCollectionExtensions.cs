using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Alerting;
using Vigil.Alerting.Notifications;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilAlertmanagerReceiver()</c>.</summary>
public static class AlertmanagerReceiverServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>POST /v1/alertmanager</c> needs: the <see cref="AlertmanagerAlertBook"/>, publishing to the
    /// notifiers (<c>AddVigilNotifiers()</c>), and registered as an <see cref="IActiveAlertSource"/> so that the alerts
    /// a team's Alertmanager reports show in <c>GET /v1/alerts</c> and the report. A second call does nothing.
    /// </summary>
    public static IServiceCollection AddVigilAlertmanagerReceiver(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(AlertmanagerAlertBook)))
        {
            return services;
        }

        services.AddVigilNotifiers();
        services.TryAddSingleton(sp => new AlertmanagerAlertBook(sp.GetRequiredService<IAlertStateChangeSink>()));
        services.AddSingleton<IActiveAlertSource>(sp => sp.GetRequiredService<AlertmanagerAlertBook>());
        return services;
    }
}
