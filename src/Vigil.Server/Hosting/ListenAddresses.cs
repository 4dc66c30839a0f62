using System.Net;

namespace Vigil.Server.Hosting;

/// <summary>Reads the <c>--urls</c> list and tells whether every address is loopback.</summary>
public static class ListenAddresses
{
    /// <summary>The URLs of a ';'-separated list.</summary>
    public static IReadOnlyList<string> Split(string urls) =>
        (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when <paramref name="url"/> binds only to a loopback address.</summary>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
