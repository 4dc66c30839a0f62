using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Vigil.Configuration;

/// <summary>How every Vigil options class is registered, in both hosts: bound from its section, validated by its annotations, at start.</summary>
public static class VigilOptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="sectionPath"/> of the app's configuration
    /// (<c>BindConfiguration</c>), validates its data annotations and checks them when the host starts. An app without
    /// a configuration gets the defaults.
    /// </summary>
    public static OptionsBuilder<TOptions> AddVigilOptions<TOptions>(this IServiceCollection services, string sectionPath)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);

        // A host registers its configuration; an app's last registration wins over this empty one.
        services.TryAddSingleton<IConfiguration>(_ => new ConfigurationBuilder().Build());
        return services.AddOptions<TOptions>()
            .BindConfiguration(sectionPath)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>The options' value, validated (throws <see cref="OptionsValidationException"/> naming what is wrong).</summary>
    public static TOptions GetOptions<TOptions>(this IServiceProvider services)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<IOptions<TOptions>>().Value;
    }
}
