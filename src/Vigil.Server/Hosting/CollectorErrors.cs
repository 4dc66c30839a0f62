using Vigil.Server.Ingest;

namespace Vigil.Server.Hosting;

/// <summary>
/// The status a collector endpoint answers for an exception from below it, so that a bad request never gets a 5xx and
/// a store that did not commit gets a 503 (which a sender retries), whatever host the collector runs in.
/// </summary>
internal static class CollectorErrors
{
    /// <summary>The status for <paramref name="exception"/>, or null when it is not one of the collector's.</summary>
    public static int? StatusOf(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        StoreUnavailableException => StatusCodes.Status503ServiceUnavailable,
        System.Text.Json.JsonException => StatusCodes.Status400BadRequest,
        OperationCanceledException => StatusCodes.Status503ServiceUnavailable,
        _ => null,
    };

    /// <summary>An endpoint filter that answers those exceptions with problem details of their status.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (StatusOf(ex) is { } status && !context.HttpContext.Response.HasStarted)
        {
            return TypedResults.Problem(statusCode: status);
        }
    }
}
