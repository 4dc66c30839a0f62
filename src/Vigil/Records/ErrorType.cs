using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>The error categories of the seed (§2.1). Hard ones go with <see cref="InteractionStatus.Error"/>.</summary>
[JsonConverter(typeof(WireNameJsonConverter<ErrorType>))]
public enum ErrorType
{
    /// <summary>HTTP 429.</summary>
    RateLimit,
    /// <summary>HTTP 401 or 403.</summary>
    AuthFailure,
    /// <summary>HTTP 413, or a 400 that says the context is too long.</summary>
    ContextOverflow,
    /// <summary>HTTP 5xx, or an unrecognised failure to get a response.</summary>
    ServerError,
    /// <summary>Connect or read timeout; a cancellation that the caller did not ask for.</summary>
    Timeout,
    /// <summary>Soft: the model declined to answer.</summary>
    Refusal,
    /// <summary>Soft: blank or shorter than the configured minimum.</summary>
    EmptyResponse,
    /// <summary>Soft: JSON was requested and the reply is not JSON.</summary>
    FormatError,
    /// <summary>Soft: the provider's content filter stopped the reply.</summary>
    SafetyFilter,
    /// <summary>Soft: a tool the model called failed.</summary>
    ToolFailure,
    /// <summary>Soft: a judge scored the answer below the quality threshold.</summary>
    LowQuality,
}
