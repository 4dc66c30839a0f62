using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Configuration;
using Vigil.Incidents;
using Vigil.Server.Gateway;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilGateway(configuration)</c>, part of <c>AddVigilCollector</c>.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the OpenAI-compatible gateway when <c>Vigil:Gateway:Upstream</c> is set in <paramref name="configuration"/>
    /// (<c>vigil serve --gateway URL</c>): YARP's forwarder and <see cref="GatewayOptions"/>, validated at start (with the
    /// keys of <c>VIGIL_GATEWAY_KEYS</c>). <c>MapVigilCollector</c> then maps <c>POST /v1/chat/completions</c> and
    /// <c>POST /v1/embeddings</c>.
    /// </summary>
    public static IServiceCollection AddVigilGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddVigilOptions<GatewayOptions>(GatewayOptions.SectionName).PostConfigure(GatewayOptionsValidator.AddKeysFromEnvironment);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        if (string.IsNullOrWhiteSpace(configuration[$"{GatewayOptions.SectionName}:Upstream"]))
        {
            return services;
        }

        services.AddHttpForwarder();
        services.AddDistributedMemoryCache();
        services.TryAddSingleton(sp => new GatewayDegradation(
            sp.GetService<IDegradationModeSource>(),
            sp.GetService<IOptions<DegradationOptions>>()?.Value ?? new DegradationOptions(),
            sp.GetRequiredService<Caching.Distributed.IDistributedCache>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<GatewayForwarder>();
        return services;
    }
}
