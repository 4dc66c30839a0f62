using System.Globalization;

namespace Vigil.Server.Apis;

/// <summary>The <c>from</c> and <c>to</c> query parameters of the read endpoints: RFC 3339 times, UTC when no offset is given.</summary>
internal static class QueryTime
{
    /// <summary>True when <paramref name="text"/> is absent (<paramref name="value"/> null) or a time.</summary>
    public static bool TryParse(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
