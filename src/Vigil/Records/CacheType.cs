using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>The kind of cache (the seed's <c>cache_type</c> label).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CacheType>))]
public enum CacheType
{
    /// <summary>Exact-match cache.</summary>
    [JsonStringEnumMemberName("exact")] Exact,
    /// <summary>Semantic (embedding similarity) cache.</summary>
    [JsonStringEnumMemberName("semantic")] Semantic,
    /// <summary>Provider prompt cache.</summary>
    [JsonStringEnumMemberName("prompt")] Prompt,
}
