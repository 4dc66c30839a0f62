using System.Globalization;

namespace Vigil.Server.Hosting;

/// <summary>
/// The settings that decide which parts of the collector are registered at all (the online judge, the embedding drift
/// watch, its local model): read from the configuration when the services are added, before any options exist.
/// </summary>
internal static class CollectorSwitches
{
    /// <summary>True when <paramref name="key"/> is <c>true</c>; false when it is <c>false</c>; <paramref name="whenMissing"/> when it is missing or empty.</summary>
    /// <exception cref="VigilServerStartupException">The value is something else.</exception>
    public static bool IsOn(IConfiguration configuration, string key, bool whenMissing = false)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return whenMissing;
        }

        return bool.TryParse(value, out var on)
            ? on
            : throw new VigilServerStartupException(string.Create(CultureInfo.InvariantCulture, $"{key}: '{value}' is neither true nor false."));
    }

    /// <summary>True when <paramref name="key"/> has a value that is not blank.</summary>
    public static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
