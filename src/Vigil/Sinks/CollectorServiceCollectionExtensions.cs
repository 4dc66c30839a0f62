using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Vigil.Configuration;
using Vigil.Feedback;
using Vigil.Metrics;
using Vigil.Sinks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilCollectorSink()</c>.</summary>
public static class CollectorServiceCollectionExtensions
{
    /// <summary>The name of the resilience pipeline on the <see cref="CollectorSink.HttpClientName"/> client.</summary>
    public const string ResiliencePipelineName = "vigil-collector";

    /// <summary>
    /// Registers <see cref="CollectorSink"/> (a singleton of its own type, enabled when <c>Vigil:Collector:Endpoint</c> is
    /// set), <see cref="CollectorOptions"/> bound from <c>Vigil:Collector</c> and validated at start, the
    /// <see cref="CollectorSink.HttpClientName"/> client with its retries (exponential backoff with jitter,
    /// <c>Retry-After</c> obeyed, a timeout per attempt), a hosted service that sends what is buffered when the host
    /// stops, and <see cref="VigilFeedback"/>, which hands feedback to the registered <c>IInteractionSink</c>.
    /// A second call does nothing.
    /// </summary>
    public static IServiceCollection AddVigilCollectorSink(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(CollectorSink)))
        {
            return services; // once: a second resilience handler on the client would retry each retry
        }

        // Without a configuration (a bare ServiceCollection) nothing is configured and the sink stays off.
        services.AddVigilOptions<CollectorOptions>(CollectorOptions.SectionName);

        services.AddHttpClient(CollectorSink.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // each attempt has its own
            .RemoveAllLoggers() // a line per batch is noise; the sink logs what goes wrong
            .AddResilienceHandler(ResiliencePipelineName, (pipeline, context) =>
                AddRetries(pipeline, context.ServiceProvider.GetRequiredService<IOptions<CollectorOptions>>().Value));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new VigilMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<CollectorSink>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CollectorSinkLifetime>());
        services.TryAddSingleton<VigilFeedback>();
        return services;
    }

    // Retries for as long as the sink runs: a batch is kept while the collector is away, and the buffer (not a count of
    // attempts) bounds what waits. 5xx, 408, 429, connection failures and attempt timeouts are retried; other 4xx are not.
    private static void AddRetries(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, CollectorOptions options)
    {
        var retry = PatientRetry.Options(options.RetryDelay, options.MaxRetryDelay, options.MaxRetryAfter);
        pipeline.AddRetry(retry).AddTimeout(options.AttemptTimeout);
    }
}
