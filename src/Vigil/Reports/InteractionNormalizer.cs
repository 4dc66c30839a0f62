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
    private const int PriceMemos = 16;

    [ThreadStatic]
    private static PriceMemo[]? t_prices;

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
            ref var memo = ref PriceOf(figures.Model);
            figures.CostUsd = PriceCatalog.Quote(memo.Price!, memo.Known, figures.InputTokens ?? 0, figures.OutputTokens ?? 0, figures.CachedTokens ?? 0).Usd;
        }
    }

    // The model's price from a small per-thread table keyed by the model string's identity: a report reader keeps one
    // string per model, so the catalog's case-insensitive lookup runs once per model and thread instead of once per line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref PriceMemo PriceOf(string model)
    {
        var memos = t_prices ??= new PriceMemo[PriceMemos];
        ref var memo = ref memos[RuntimeHelpers.GetHashCode(model) & (PriceMemos - 1)];
        if (!ReferenceEquals(memo.Model, model) || !ReferenceEquals(memo.Catalog, prices))
        {
            var known = prices.TryGetPrice(model, out var price);
            memo = new PriceMemo(prices, model, price, known);
        }

        return ref memo;
    }

    /// <summary>The hard category of an HTTP status (seed §2); null for a status outside them (e.g. a plain 400).</summary>
    public static ErrorType? FromHttpStatus(int? status) =>
        status is { } code ? ErrorClassifier.CategoryOfStatus(code) : ErrorType.ServerError;

    private readonly record struct PriceMemo(PriceCatalog? Catalog, string? Model, ModelPrice? Price, bool Known);
}
