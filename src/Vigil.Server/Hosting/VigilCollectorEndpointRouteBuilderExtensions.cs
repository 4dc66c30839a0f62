using System.Diagnostics.CodeAnalysis;
using Vigil.Metrics;
using Vigil.Server.Apis;
using Vigil.Server.Dashboard;
using Vigil.Server.Gateway;
using Vigil.Server.Hosting;
using Vigil.Server.Security;
using Vigil.Server.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>app.MapVigilCollector()</c>: the collector's HTTP API in any ASP.NET Core app.</summary>
public static class VigilCollectorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the collector's endpoints (the contract's): <c>POST /v1/interactions</c>, <c>POST /v1/feedback</c>,
    /// <c>GET /v1/report</c>, <c>GET /v1/interactions/{trace_id}</c>, <c>GET /metrics</c> and <c>GET /healthz</c>, under
    /// <paramref name="prefix"/>. Needs <c>services.AddVigilCollector(configuration)</c>. With keys configured
    /// (<c>Vigil:Server:IngestKeys</c>/<c>ReadKeys</c>, <c>VIGIL_INGEST_KEYS</c>/<c>VIGIL_READ_KEYS</c>) each endpoint
    /// asks for a key of its scope; the host may add its own filters and conventions to what this returns.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">A path the endpoints go under, e.g. <c>/vigil</c>; none by default.</param>
    /// <returns>The endpoints, to add conventions to all of them or to those of one scope.</returns>
    public static VigilCollectorEndpoints MapVigilCollector(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);

        // The exporter must listen before the first record is counted.
        _ = endpoints.ServiceProvider.GetRequiredService<PrometheusTextExporter>();

        var all = endpoints.MapGroup(prefix);
        all.AddEndpointFilter(CollectorErrors.FilterAsync);
        var ingest = all.MapGroup("/v1").RequireKey(ApiKeyScope.Ingest).MapIngestApi();
        ingest.MapAlertmanagerApi();
        var read = all.MapGroup(string.Empty).RequireKey(ApiKeyScope.Read);
        read.MapGroup("/v1").MapReadApi();
        read.MapGroup("/v1").MapIncidentReadApi();
        all.MapGroup("/v1").RequireKey(ApiKeyScope.Admin).MapIncidentAdminApi();
        read.MapGroup("/v1").MapAlertsApi();
        read.MapMetrics();
        DashboardPage.Map(read); // GET / and its files, under the read key like the API it reads
        var health = all.MapGet("/healthz", async (IVigilStore store, CancellationToken ct) =>
            await store.PingAsync(ct).ConfigureAwait(false)
                ? Results.Ok(new { status = "ok" })
                : Results.Problem("The store does not answer.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unhealthy"));
        if (endpoints.ServiceProvider.GetService<GatewayForwarder>() is { } gateway)
        {
            all.MapPost("/v1/chat/completions", context => gateway.HandleAsync(context, chat: true));
            all.MapPost("/v1/embeddings", context => gateway.HandleAsync(context, chat: false));
        }

        return new VigilCollectorEndpoints(all, ingest, read, health);
    }

    // The authenticator is taken when the endpoints are built (at the first request), after the options are validated.
    private static RouteGroupBuilder RequireKey(this RouteGroupBuilder group, ApiKeyScope scope) =>
        group.AddEndpointFilterFactory((context, next) =>
        {
            var filter = new ApiKeyFilter(context.ApplicationServices.GetRequiredService<ApiKeyAuthenticator>(), scope);
            return invocation => filter.InvokeAsync(invocation, next);
        });
}
