using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>How the answer was produced when the primary path was degraded (seed §2.1, §9).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Degradation>))]
public enum Degradation
{
    /// <summary>The primary model answered.</summary>
    [JsonStringEnumMemberName("none")] None,
    /// <summary>A fallback model answered.</summary>
    [JsonStringEnumMemberName("model_fallback")] ModelFallback,
    /// <summary>A cached answer was returned.</summary>
    [JsonStringEnumMemberName("cache_fallback")] CacheFallback,
    /// <summary>A preset static reply was returned.</summary>
    [JsonStringEnumMemberName("default_response")] DefaultResponse,
}
