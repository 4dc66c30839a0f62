using Vigil.Records;

namespace Vigil.Classification;

/// <summary>The snake_case label of each <see cref="ErrorType"/> (its contract name).</summary>
public static class ErrorLabels
{
    /// <summary>The label for calls without an error.</summary>
    public const string None = "none";

    /// <summary>A hard 4xx error outside the contract's categories.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The label of <paramref name="type"/> (its wire name).</summary>
    public static string Of(ErrorType type) => WireNames.ErrorType.Of(type);

    /// <summary>True for the categories that mean no usable response came back.</summary>
    public static bool IsHard(ErrorType type) => type is ErrorType.RateLimit or ErrorType.AuthFailure
        or ErrorType.ContextOverflow or ErrorType.ServerError or ErrorType.Timeout;
}
