using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Vigil.Alerting;
using Vigil.Alerting.Notifications;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Sinks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilNotifiers()</c>.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>The name of the resilience pipeline on the <see cref="NotificationDispatcher.HttpClientName"/> client.</summary>
    public const string ResiliencePipelineName = "vigil-notifications";

    /// <summary>
    /// Registers the notifiers of both hosts: <see cref="NotificationOptions"/> bound from <c>Vigil:Alerting</c> and
    /// validated at start, the <see cref="NotificationDispatcher"/> as the <see cref="IAlertStateChangeSink"/> (each of
    /// the generic webhook, Slack and PagerDuty on when its key is set), the
    /// <see cref="NotificationDispatcher.HttpClientName"/> client with its retries, and a hosted service that delivers
    /// what is queued when the host stops. A second call does nothing.
    /// </summary>
    public static IServiceCollection AddVigilNotifiers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(NotificationDispatcher)))
        {
            return services; // once: a second resilience handler on the client would retry each retry
        }

        services.AddVigilOptions<NotificationOptions>(NotificationOptions.SectionName);
        services.AddHttpClient(NotificationDispatcher.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // each attempt has its own, and the whole a limit
            .RemoveAllLoggers() // the client's own logs would write the webhook URL, a secret
            .AddResilienceHandler(ResiliencePipelineName, (pipeline, context) =>
                AddRetries(pipeline, context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value.Delivery));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new VigilMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new NotificationDispatcher(
            sp.GetRequiredService<IOptions<NotificationOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<VigilMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<NotificationDispatcher>>()));
        services.AddSingleton<IAlertStateChangeSink>(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NotificationDispatcherLifetime>());
        return services;
    }

    // Outermost the whole delivery's limit, then the retries, innermost each attempt's timeout. 5xx, 408, 429, connection
    // failures and attempt timeouts are retried (HttpRetryStrategyOptions' default); other 4xx are answered at once.
    private static void AddRetries(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, NotificationDeliveryOptions options)
    {
        var retry = PatientRetry.Options(options.RetryDelay, options.MaxRetryDelay, options.MaxRetryAfter);
        pipeline.AddTimeout(options.MaxDeliveryTime).AddRetry(retry).AddTimeout(options.AttemptTimeout);
    }
}
