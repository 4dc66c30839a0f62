using System.Runtime.CompilerServices;
using Vigil.Classification;
using Vigil.Pricing;
using Vigil.Records;

namespace Vigil.Reports;

/// <summary>
/// Fills in what the contract says to derive: an error's <c>error_type</c> from <c>http_status</c> when absent,
/// and <c>cost_usd</c> from the price catalog when absent. Stored records are normalized, so every figure
/// computed from them later (and their removal on replacement) agrees.
/// </summary>
public sealed class InteractionNormalizer(PriceCatalog prices)
{
    /// <summary>The record with derived fields filled in (the same instance when nothing was missing).</summary>
    public InteractionRecord Normalize(InteractionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var figures = InteractionFigures.Of(record);
        Normalize(ref figures);
        return figures.ErrorType == record.ErrorType && figures.CostUsd == record.CostUsd
            ? record
            : record with { ErrorType = figures.ErrorType, CostUsd = figures.CostUsd };
    }

    /// <summary>Fills in the derived figures in place (the one place their rules are written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Normalize(ref InteractionFigures figures)
    {
        if (figures.Status == InteractionStatus.Error && figures.ErrorType is null)
        {
            figures.ErrorType = FromHttpStatus(figures.HttpStatus);
        }

        if (figures.CostUsd is null && (figures.InputTokens is not null || figures.OutputTokens is not null))
        {
            figures.CostUsd = prices.Quote(figures.Model, figures.InputTokens ?? 0, figures.OutputTokens ?? 0, figures.CachedTokens ?? 0).Usd;
        }
    }

    /// <summary>The hard category of an HTTP status (seed §2); null for a status outside them (e.g. a plain 400).</summary>
    public static ErrorType? FromHttpStatus(int? status) =>
        status is { } code ? ErrorClassifier.CategoryOfStatus(code) : ErrorType.ServerError;

    /// <summary>The <c>errors</c> key of a record: its category, <c>bad_request</c> for other 4xx errors, or null.</summary>
    public static string? ErrorKey(InteractionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ErrorKey(record.ErrorType, record.Status);
    }

    /// <summary>The <c>errors</c> key of an interaction's error type and status.</summary>
    public static string? ErrorKey(ErrorType? errorType, InteractionStatus status) =>
        errorType is { } type ? ErrorLabels.Of(type) : status == InteractionStatus.Error ? ErrorLabels.BadRequest : null;
}
