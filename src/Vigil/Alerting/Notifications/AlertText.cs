using System.Globalization;

namespace Vigil.Alerting.Notifications;

/// <summary>What every notification format reads from a state change the same way: its summary, description, runbook and times.</summary>
internal static class AlertText
{
    /// <summary>Alertmanager's zero time, written as <c>endsAt</c> while an alert fires.</summary>
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>The <c>summary</c> annotation, or the alert's name.</summary>
    public static string Summary(AlertStateChange change) =>
        change.Annotations.TryGetValue("summary", out var summary) && !string.IsNullOrWhiteSpace(summary) ? summary : change.Name;

    /// <summary>The <c>description</c> annotation, or null.</summary>
    public static string? Description(AlertStateChange change) =>
        change.Annotations.TryGetValue("description", out var description) && !string.IsNullOrWhiteSpace(description) ? description : null;

    /// <summary>The <c>runbook_url</c> annotation when it is an absolute http(s) URL; a relative one links nowhere from a chat or a pager.</summary>
    public static string? AbsoluteRunbookUrl(AlertStateChange change) =>
        change.Annotations.TryGetValue("runbook_url", out var url)
            && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.AbsoluteUri
            : null;

    /// <summary>RFC 3339 in UTC, fractions only when there are any (as Go writes them).</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The value as text, or null.</summary>
    public static string? Value(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : null;

    /// <summary>At most <paramref name="max"/> UTF-16 characters, ending in … when cut (never inside a surrogate pair).</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
