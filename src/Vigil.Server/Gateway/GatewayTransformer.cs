using System.Diagnostics;
using System.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Vigil.Server.Gateway;

/// <summary>
/// Shapes the upstream request: the upstream's own path (<c>{base}/chat/completions</c>), Vigil's labelling headers
/// kept back, and, when Vigil holds the provider key, that key instead of the caller's gateway key.
/// </summary>
internal sealed class GatewayTransformer(string path, string? providerKey) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.RequestUri = new Uri(destinationPrefix + path + httpContext.Request.QueryString.Value, UriKind.Absolute);
        proxyRequest.Headers.Host = null;
        foreach (var header in GatewayHeaders.All)
        {
            proxyRequest.Headers.Remove(header);
        }

        if (providerKey is not null)
        {
            proxyRequest.Headers.Remove("X-Api-Key");
            proxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", providerKey);
        }

        if (httpContext.Features.Get<GatewayTiming>() is { } timing)
        {
            timing.UpstreamRequestOut = Stopwatch.GetTimestamp();
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var timing = httpContext.Features.Get<GatewayTiming>();
        if (timing is not null)
        {
            timing.UpstreamResponseIn = Stopwatch.GetTimestamp();
        }

        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (timing is not null && proxyResponse?.Content is { } content)
        {
            proxyResponse.Content = new TimedUpstreamContent(content, timing);
        }

        return copyBody;
    }
}
