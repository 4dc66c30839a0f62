using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.ChatClients;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Sinks;

namespace Microsoft.Extensions.AI;

/// <summary><c>UseVigil()</c> for <see cref="ChatClientBuilder"/>.</summary>
public static class VigilChatClientBuilderExtensions
{
    /// <summary>
    /// Adds Vigil's <see cref="VigilChatClient"/> to the pipeline. Anything not given is taken from the
    /// builder's services when <c>AddVigil()</c> registered it, else defaults are used.
    /// </summary>
    public static ChatClientBuilder UseVigil(this ChatClientBuilder builder, VigilOptions? options = null,
        IInteractionSink? sink = null, Action<VigilChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new VigilChatClient(
                inner,
                services.GetService<VigilMetrics>(),
                sink ?? services.GetService<IInteractionSink>(),
                options ?? services.GetService<IOptions<VigilOptions>>()?.Value,
                options is null ? services.GetService<PriceCatalog>() : null,
                services.GetService<TimeProvider>(),
                options is null ? services.GetService<MetricCatalogWriter>() : null);
            configure?.Invoke(client);
            return client;
        });
    }
}
