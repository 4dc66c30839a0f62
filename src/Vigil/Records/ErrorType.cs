using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>The error categories of the seed (§2.1). Hard ones go with <see cref="InteractionStatus.Error"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ErrorType>))]
public enum ErrorType
{
    /// <summary>HTTP 429.</summary>
    [JsonStringEnumMemberName("rate_limit")] RateLimit,
    /// <summary>HTTP 401 or 403.</summary>
    [JsonStringEnumMemberName("auth_failure")] AuthFailure,
    /// <summary>HTTP 413, or a 400 that says the context is too long.</summary>
    [JsonStringEnumMemberName("context_overflow")] ContextOverflow,
    /// <summary>HTTP 5xx, or an unrecognised failure to get a response.</summary>
    [JsonStringEnumMemberName("server_error")] ServerError,
    /// <summary>Connect or read timeout; a cancellation that the caller did not ask for.</summary>
    [JsonStringEnumMemberName("timeout")] Timeout,
    /// <summary>Soft: the model declined to answer.</summary>
    [JsonStringEnumMemberName("refusal")] Refusal,
    /// <summary>Soft: blank or shorter than the configured minimum.</summary>
    [JsonStringEnumMemberName("empty_response")] EmptyResponse,
    /// <summary>Soft: JSON was requested and the reply is not JSON.</summary>
    [JsonStringEnumMemberName("format_error")] FormatError,
    /// <summary>Soft: the provider's content filter stopped the reply.</summary>
    [JsonStringEnumMemberName("safety_filter")] SafetyFilter,
    /// <summary>Soft: a tool the model called failed.</summary>
    [JsonStringEnumMemberName("tool_failure")] ToolFailure,
    /// <summary>Soft: a judge scored the answer below the quality threshold.</summary>
    [JsonStringEnumMemberName("low_quality")] LowQuality,
}
