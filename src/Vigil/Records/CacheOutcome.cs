using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>The outcome of the app's response cache for one interaction.</summary>
[JsonConverter(typeof(WireNameJsonConverter<CacheOutcome>))]
public enum CacheOutcome
{
    /// <summary>Served from the cache.</summary>
    Hit,
    /// <summary>Not in the cache.</summary>
    Miss,
}
