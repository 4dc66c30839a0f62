using System.Text.Json.Nodes;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>One request the <see cref="CaptureServer"/> received: its number, when (on the test's clock), and its body.</summary>
public sealed record CaptureRequest(int Number, DateTimeOffset At, string PathAndQuery, string? ContentType, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
