namespace Vigil.Server.Hosting;

/// <summary>
/// The collector's endpoints as <c>MapVigilCollector</c> maps them. Conventions and filters added to this object
/// (<c>RequireAuthorization</c>, <c>AddEndpointFilter</c>, <c>RequireRateLimiting</c> …) apply to every one of them;
/// <see cref="Ingest"/> and <see cref="Read"/> take those of one API key scope.
/// </summary>
public sealed class VigilCollectorEndpoints : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder _all;

    internal VigilCollectorEndpoints(RouteGroupBuilder all, RouteGroupBuilder ingest, RouteGroupBuilder read, IEndpointConventionBuilder health)
    {
        _all = all;
        Ingest = ingest;
        Read = read;
        Health = health;
    }

    /// <summary><c>POST /v1/interactions</c> and <c>POST /v1/feedback</c> (the ingest scope).</summary>
    public RouteGroupBuilder Ingest { get; }

    /// <summary><c>GET /v1/report</c>, <c>GET /v1/interactions/{trace_id}</c> and <c>GET /metrics</c> (the read scope).</summary>
    public RouteGroupBuilder Read { get; }

    /// <summary><c>GET /healthz</c> (no key).</summary>
    public IEndpointConventionBuilder Health { get; }

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention) => _all.Add(convention);

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention) => _all.Finally(finallyConvention);
}
