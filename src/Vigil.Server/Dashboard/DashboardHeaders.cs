namespace Vigil.Server.Dashboard;

/// <summary>The headers of every answer of the dashboard page and its files.</summary>
internal static class DashboardHeaders
{
    /// <summary>
    /// Everything from the collector itself and nothing inline: a request to any other host, an inline script or style,
    /// would be refused by the browser. The page is not to be framed, and sends no referrer with its runbook links.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'none'";

    /// <summary>Sets them on <paramref name="response"/>.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";

        // Revalidated on every load (the ETag makes that a 304): a new collector version's page is never mixed with old
        // files. Private: with read keys the page is behind a key, not for shared caches.
        headers.CacheControl = "private, no-cache";
    }
}
