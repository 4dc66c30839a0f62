using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>The kind of cache (the seed's <c>cache_type</c> label).</summary>
[JsonConverter(typeof(WireNameJsonConverter<CacheType>))]
public enum CacheType
{
    /// <summary>Exact-match cache.</summary>
    Exact,
    /// <summary>Semantic (embedding similarity) cache.</summary>
    Semantic,
    /// <summary>Provider prompt cache.</summary>
    Prompt,
}
