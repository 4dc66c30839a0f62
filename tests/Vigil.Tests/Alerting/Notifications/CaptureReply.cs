using System.Net;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>How the <see cref="CaptureServer"/> answers one request.</summary>
public sealed record CaptureReply(HttpStatusCode Code, string? RetryAfter = null, bool Hang = false)
{
    public static CaptureReply Status(HttpStatusCode code, string? retryAfter = null) => new(code, retryAfter);

    /// <summary>Never answers (until the client gives up on the request).</summary>
    public static CaptureReply Hangs() => new(HttpStatusCode.OK, Hang: true);
}
