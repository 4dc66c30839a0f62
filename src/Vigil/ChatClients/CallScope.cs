using Microsoft.Extensions.AI;
using Vigil.Records;

namespace Vigil.ChatClients;

/// <summary>
/// What is known about one observed call when it starts. A struct, passed by reference: an observed call allocates
/// nothing for its own bookkeeping (it lives on the stack, or in the async state machine when the call is awaited).
/// </summary>
internal struct CallScope
{
    public long StartTimestamp;
    public string Model;
    public string ModelLabel;
    public string Feature;
    public string FeatureLabel;
    public string UserTier;
    public string UserTierLabel;
    public bool JsonRequested;
    public bool ToolFailedInRequest;
    public bool ModelFromResponse;
    public Degradation Degradation;
    public CacheOutcome? Cache;
    public CacheType? CacheType;

    // Record-only: filled in when the sink was enabled at the start of the call (see VigilChatClient.Emit).
    public bool Recorded;
    public DateTimeOffset StartedAt;
    public ChatOptions? Options;
    public string? UserId;
    public string? TraceId;
    public string? Query;
    public string? Context;
}
