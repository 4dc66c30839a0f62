namespace Vigil.Pricing;

/// <summary>The cost of one call.</summary>
/// <param name="Usd">Cost in US dollars.</param>
/// <param name="IsFallbackPrice">True when the model is not in the catalog and the fallback price was used.</param>
public readonly record struct CostQuote(decimal Usd, bool IsFallbackPrice);
