using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Sinks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigil()</c>.</summary>
public static class VigilServiceCollectionExtensions
{
    /// <summary>
    /// Registers Vigil's metrics, options (bound from the <c>Vigil</c> configuration section and validated
    /// at start), price catalog and a no-op <see cref="IInteractionSink"/> unless one is registered.
    /// </summary>
    public static IServiceCollection AddVigil(this IServiceCollection services, Action<VigilOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Bound from the app's configuration when it has one (a host registers IConfiguration).
        var options = services.AddOptions<VigilOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(VigilOptions.SectionName).Bind(o))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new VigilMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<VigilOptions>>().Value;
            return PriceCatalog.Default.With(o.Prices.AsReadOnly(), o.FallbackPrice);
        });
        services.TryAddSingleton<IInteractionSink>(NullInteractionSink.Instance);
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Like <see cref="AddVigil(IServiceCollection, Action{VigilOptions})"/>, binding options from <paramref name="section"/>.</summary>
    public static IServiceCollection AddVigil(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddVigil();
        services.Configure<VigilOptions>(section);
        return services;
    }
}
