using Vigil.Records;

namespace Vigil.Classification;

/// <summary>The snake_case label of each <see cref="ErrorType"/> (its contract name).</summary>
public static class ErrorLabels
{
    /// <summary>The label for calls without an error.</summary>
    public const string None = "none";

    /// <summary>A hard 4xx error outside the contract's categories.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The label of <paramref name="type"/>.</summary>
    public static string Of(ErrorType type) => type switch
    {
        ErrorType.RateLimit => "rate_limit",
        ErrorType.AuthFailure => "auth_failure",
        ErrorType.ContextOverflow => "context_overflow",
        ErrorType.ServerError => "server_error",
        ErrorType.Timeout => "timeout",
        ErrorType.Refusal => "refusal",
        ErrorType.EmptyResponse => "empty_response",
        ErrorType.FormatError => "format_error",
        ErrorType.SafetyFilter => "safety_filter",
        ErrorType.ToolFailure => "tool_failure",
        ErrorType.LowQuality => "low_quality",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>True for the categories that mean no usable response came back.</summary>
    public static bool IsHard(ErrorType type) => type is ErrorType.RateLimit or ErrorType.AuthFailure
        or ErrorType.ContextOverflow or ErrorType.ServerError or ErrorType.Timeout;
}
