using Vigil.Records;

namespace Vigil.Classification;

/// <summary>
/// The one rule for how an interaction's error is named: the report's <c>errors</c> key and the <c>error_type</c> and
/// <c>error_code</c> labels of <c>llm_requests_total</c> and <c>llm_errors_total</c>, whichever host counts it.
/// </summary>
public static class ErrorKeys
{
    /// <summary>The error's key: its category, <c>bad_request</c> for a hard error outside the categories, or null for none.</summary>
    public static string? Of(InteractionStatus status, ErrorType? type) =>
        type is { } known ? ErrorLabels.Of(known) : status == InteractionStatus.Error ? ErrorLabels.BadRequest : null;

    /// <summary>The <c>error_type</c> label: the error's key, or <c>none</c>.</summary>
    public static string LabelOf(InteractionStatus status, ErrorType? type) => Of(status, type) ?? ErrorLabels.None;

    /// <summary>The <c>error_code</c> label: a hard error's HTTP status, else <c>0</c> (soft errors came with a 200).</summary>
    public static string CodeOf(InteractionStatus status, int? httpStatus) =>
        status == InteractionStatus.Error && httpStatus is { } code ? StatusLabels.Of(code) : "0";
}
