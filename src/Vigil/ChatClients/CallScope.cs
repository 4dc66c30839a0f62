using Vigil.Records;

namespace Vigil.ChatClients;

/// <summary>What is known about one observed call when it starts.</summary>
internal sealed class CallScope
{
    public required long StartTimestamp { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string Model { get; set; }
    public required string ModelLabel { get; set; }
    public required string Feature { get; init; }
    public required string FeatureLabel { get; init; }
    public required string UserTier { get; init; }
    public required string UserTierLabel { get; init; }
    public string? UserId { get; init; }
    public string? TraceId { get; set; }
    public string? Query { get; init; }
    public string? Context { get; init; }
    public bool JsonRequested { get; init; }
    public bool ToolFailedInRequest { get; init; }
    public bool ModelFromResponse { get; init; }
    public Degradation Degradation { get; set; }
}
