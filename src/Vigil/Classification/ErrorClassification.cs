using Vigil.Records;

namespace Vigil.Classification;

/// <summary>What went wrong with one call, hard or soft (the seed's <c>ErrorEvent</c>).</summary>
/// <param name="Type">The contract's category; null for a hard error outside the contract's categories (e.g. a plain 400).</param>
/// <param name="Label">The <c>error_type</c> metric label: the category, or <c>bad_request</c>.</param>
/// <param name="IsHard">True when no usable response came back.</param>
/// <param name="HttpStatus">The provider's HTTP status, when known.</param>
/// <param name="IsRetriable">Whether retrying may help.</param>
/// <param name="Severity">How bad it is.</param>
/// <param name="RetryAfter">The provider's Retry-After, when it sent one.</param>
public sealed record ErrorClassification(
    ErrorType? Type,
    string Label,
    bool IsHard,
    int? HttpStatus,
    bool IsRetriable,
    ErrorSeverity Severity,
    TimeSpan? RetryAfter = null)
{
    /// <summary>The <c>error_code</c> metric label: the HTTP status, or 0.</summary>
    public string ErrorCode => ErrorKeys.CodeOf(IsHard ? InteractionStatus.Error : InteractionStatus.Success, HttpStatus);
}
