using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>How the answer was produced when the primary path was degraded (seed §2.1, §9).</summary>
[JsonConverter(typeof(WireNameJsonConverter<Degradation>))]
public enum Degradation
{
    /// <summary>The primary model answered.</summary>
    None,
    /// <summary>A fallback model answered.</summary>
    ModelFallback,
    /// <summary>A cached answer was returned.</summary>
    CacheFallback,
    /// <summary>A preset static reply was returned.</summary>
    DefaultResponse,
}
