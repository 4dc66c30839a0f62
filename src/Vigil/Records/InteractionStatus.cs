using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>Whether a usable response came back (<c>success</c>) or a hard failure happened (<c>error</c>).</summary>
[JsonConverter(typeof(WireNameJsonConverter<InteractionStatus>))]
public enum InteractionStatus
{
    /// <summary>A response came back; it may still carry a soft error.</summary>
    Success,

    /// <summary>A hard failure: no usable response.</summary>
    Error,
}
