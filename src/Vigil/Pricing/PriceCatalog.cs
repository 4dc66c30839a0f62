using System.Collections.Frozen;
using System.Text.Json;

namespace Vigil.Pricing;

/// <summary>
/// Prices per model (USD per 1M tokens) with the seed's six models built in, overridable and extendable
/// from configuration. An unknown model gets the fallback price (the seed's 1.0 / 3.0). Costs are decimal.
/// </summary>
public sealed class PriceCatalog
{
    private const decimal PerMillion = 1_000_000m;
    private readonly FrozenDictionary<string, ModelPrice> _prices;

    /// <summary>Creates a catalog from <paramref name="prices"/> and <paramref name="fallback"/>.</summary>
    public PriceCatalog(IReadOnlyDictionary<string, ModelPrice> prices, ModelPrice fallback)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(fallback);
        _prices = prices.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Fallback = fallback;
    }

    /// <summary>The built-in catalog.</summary>
    public static PriceCatalog Default { get; } = LoadBuiltIn();

    /// <summary>The price of a model not in the catalog.</summary>
    public ModelPrice Fallback { get; }

    /// <summary>The models with a price.</summary>
    public IEnumerable<string> Models => _prices.Keys;

    /// <summary>A catalog with <paramref name="overrides"/> replacing or adding models, and optionally another fallback.</summary>
    public PriceCatalog With(IReadOnlyDictionary<string, ModelPrice>? overrides, ModelPrice? fallback = null)
    {
        var merged = new Dictionary<string, ModelPrice>(_prices, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in overrides ?? new Dictionary<string, ModelPrice>())
        {
            merged[model] = price;
        }

        return new PriceCatalog(merged, fallback ?? Fallback);
    }

    /// <summary>The price of <paramref name="model"/>; a dated variant (<c>gpt-4.1-mini-2025-04-14</c>) takes its base model's price.</summary>
    public bool TryGetPrice(string model, out ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_prices.TryGetValue(model, out price!))
        {
            return true;
        }

        // Longest catalog name that the model starts with, followed by '-'.
        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (name, candidate) in _prices)
        {
            if (name.Length > bestLength && model.Length > name.Length && model[name.Length] == '-'
                && model.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                best = candidate;
                bestLength = name.Length;
            }
        }

        price = best ?? Fallback;
        return best is not null;
    }

    /// <summary>The cost of a call; <paramref name="cachedInputTokens"/> is the part of <paramref name="inputTokens"/> served from cache.</summary>
    public CostQuote Quote(string model, long inputTokens, long outputTokens, long cachedInputTokens = 0)
    {
        var known = TryGetPrice(model, out var price);
        return Quote(price, known, inputTokens, outputTokens, cachedInputTokens);
    }

    /// <summary>The cost of a call at a price <see cref="TryGetPrice"/> gave (<paramref name="known"/> is what it answered).</summary>
    public static CostQuote Quote(ModelPrice price, bool known, long inputTokens, long outputTokens, long cachedInputTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(price);
        var cached = Math.Clamp(cachedInputTokens, 0, Math.Max(inputTokens, 0));
        var uncached = Math.Max(inputTokens, 0) - cached;
        var usd = ((uncached * price.Input)
                   + (cached * (price.CachedInput ?? price.Input))
                   + (Math.Max(outputTokens, 0) * price.Output)) / PerMillion;
        return new CostQuote(usd, !known);
    }

    private static PriceCatalog LoadBuiltIn()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream("Vigil.Pricing.prices.json")
            ?? throw new InvalidOperationException("The built-in price catalog is missing from the assembly.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var models = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in root.GetProperty("models").EnumerateObject())
        {
            models[model.Name] = Read(model.Value);
        }

        return new PriceCatalog(models, Read(root.GetProperty("fallback")));
    }

    private static ModelPrice Read(JsonElement element) => new()
    {
        Input = element.GetProperty("input").GetDecimal(),
        Output = element.GetProperty("output").GetDecimal(),
        CachedInput = element.TryGetProperty("cached_input", out var cached) ? cached.GetDecimal() : null,
    };
}
