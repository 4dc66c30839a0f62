using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.ChatClients;
using Vigil.Incidents;

namespace Microsoft.Extensions.AI;

/// <summary><c>UseDegradation()</c> for <see cref="ChatClientBuilder"/>.</summary>
public static class DegradingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="DegradingChatClient"/> to the pipeline. Place <c>UseVigil()</c> before it (outside) so degraded
    /// answers are recorded. Anything not given is taken from the builder's services (<see cref="IDegradationModeSource"/>,
    /// <c>IOptions&lt;DegradationOptions&gt;</c>, <see cref="IDistributedCache"/>), else defaults are used.
    /// </summary>
    /// <exception cref="InvalidOperationException">No mode source was given or registered.</exception>
    public static ChatClientBuilder UseDegradation(this ChatClientBuilder builder, IDegradationModeSource? modes = null,
        DegradationOptions? options = null, IChatClient? fallbackClient = null, IDistributedCache? cache = null,
        Action<DegradingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var source = modes ?? services.GetService<IDegradationModeSource>()
                ?? throw new InvalidOperationException("UseDegradation() needs an IDegradationModeSource: pass one (e.g. an IncidentResponder) or register it.");
            var client = new DegradingChatClient(
                inner,
                source,
                options ?? services.GetService<IOptions<DegradationOptions>>()?.Value,
                fallbackClient,
                cache ?? services.GetService<IDistributedCache>());
            configure?.Invoke(client);
            return client;
        });
    }
}
