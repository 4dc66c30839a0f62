using System.Text.Json.Serialization;

namespace Vigil.Server.Apis;

/// <summary>The answer to <c>POST /v1/alertmanager</c>: alerts read, and state changes passed to the notifiers (firing anew, or resolved).</summary>
public sealed record AlertmanagerReceipt(
    [property: JsonPropertyName("received")] int Received,
    [property: JsonPropertyName("notified")] int Notified);
