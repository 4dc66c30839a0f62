using System.Text.Json.Serialization;

namespace Vigil.Server.Apis;

/// <summary>The body of a 202: how many records were stored. Named for the contract whatever the host's JSON naming policy.</summary>
public sealed record AcceptedBody([property: JsonPropertyName("accepted")] int Accepted);
