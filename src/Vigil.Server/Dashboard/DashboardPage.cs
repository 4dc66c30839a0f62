using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Server.Apis;

namespace Vigil.Server.Dashboard;

/// <summary>
/// <c>GET /</c>: the dashboard page, and <c>GET /dashboard/{path}</c>: its script, style and the vendored Chart.js. The page
/// computes nothing: it reads <c>v1/report</c>, <c>v1/alerts</c> and <c>v1/incidents</c> by relative URLs, so it works
/// under any prefix the collector is mapped at, and with the read key the page was opened with.
/// </summary>
internal static class DashboardPage
{
    /// <summary>Maps the page and its files on <paramref name="read"/> (the read scope's group).</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder read)
    {
        ArgumentNullException.ThrowIfNull(read);
        read.MapGet("/", GetPage);
        read.MapGet("/dashboard/{*path}", GetAsset);
        return read;
    }

    private static Results<FileContentHttpResult, RedirectHttpResult> GetPage(HttpContext context)
    {
        var request = context.Request;

        // Under a prefix the page's relative URLs resolve only from "/prefix/", not from "/prefix".
        if (!request.Path.HasValue || !request.Path.Value.EndsWith('/'))
        {
            return TypedResults.Redirect($"{request.PathBase}{request.Path}/{request.QueryString}");
        }

        return Serve(context, DashboardAssets.Find(DashboardAssets.IndexPath)!);
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> GetAsset(string? path, HttpContext context)
    {
        var asset = path == DashboardAssets.IndexPath ? null : DashboardAssets.Find(path);
        if (asset is null)
        {
            DashboardHeaders.Apply(context.Response);
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", "The dashboard has no such file.");
        }

        return Serve(context, asset);
    }

    // TypedResults.Bytes answers a matching If-None-Match with 304.
    private static FileContentHttpResult Serve(HttpContext context, DashboardAsset asset)
    {
        DashboardHeaders.Apply(context.Response);
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }
}
