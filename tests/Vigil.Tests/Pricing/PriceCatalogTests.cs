using Vigil.Pricing;

namespace Vigil.Tests.Pricing;

public sealed class PriceCatalogTests
{
    [Theory]
    [InlineData("gpt-4.1", 2.0, 8.0)]
    [InlineData("gpt-4.1-mini", 0.4, 1.6)]
    [InlineData("gpt-4.1-nano", 0.1, 0.4)]
    [InlineData("claude-sonnet-4-20250514", 3.0, 15.0)]
    [InlineData("claude-haiku-3.5", 0.8, 4.0)]
    [InlineData("gemini-2.5-flash", 0.15, 0.6)]
    public void Default_SeedModels_HaveSeedPrices(string model, double input, double output)
    {
        Assert.True(PriceCatalog.Default.TryGetPrice(model, out var price));
        Assert.Equal((decimal)input, price.Input);
        Assert.Equal((decimal)output, price.Output);
    }

    [Fact]
    public void Quote_SeedFormula_IsExactInDecimal()
    {
        // The seed: input * price / 1e6 + output * price / 1e6.
        var quote = PriceCatalog.Default.Quote("gpt-4.1-mini", inputTokens: 1234, outputTokens: 567);

        Assert.Equal((1234m * 0.4m + 567m * 1.6m) / 1_000_000m, quote.Usd);
        Assert.False(quote.IsFallbackPrice);
    }

    [Fact]
    public void Quote_CachedTokens_ArePricedAsCachedInput()
    {
        var quote = PriceCatalog.Default.Quote("gpt-4.1", inputTokens: 1000, outputTokens: 0, cachedInputTokens: 400);

        Assert.Equal((600m * 2.0m + 400m * 0.5m) / 1_000_000m, quote.Usd);
    }

    [Fact]
    public void Quote_UnknownModel_UsesSeedFallbackAndSaysSo()
    {
        var quote = PriceCatalog.Default.Quote("my-own-llm", 1_000_000, 1_000_000);

        Assert.Equal(4.0m, quote.Usd);
        Assert.True(quote.IsFallbackPrice);
    }

    [Fact]
    public void TryGetPrice_DatedVariant_TakesLongestBaseModel()
    {
        Assert.True(PriceCatalog.Default.TryGetPrice("gpt-4.1-mini-2025-04-14", out var price));
        Assert.Equal(0.4m, price.Input);
        Assert.False(PriceCatalog.Default.TryGetPrice("gpt-4.1minix", out _));
    }

    [Fact]
    public void With_Overrides_ReplaceAndExtend()
    {
        var catalog = PriceCatalog.Default.With(
            new Dictionary<string, ModelPrice>
            {
                ["gpt-4.1"] = new() { Input = 1.5m, Output = 6m },
                ["llama-3.3-70b"] = new() { Input = 0.2m, Output = 0.2m },
            },
            fallback: new ModelPrice { Input = 5m, Output = 5m });

        Assert.Equal(1.5m * 1000 / 1_000_000m, catalog.Quote("gpt-4.1", 1000, 0, cachedInputTokens: 0).Usd);
        Assert.Equal(0.2m * 2, catalog.Quote("llama-3.3-70b", 1_000_000, 1_000_000).Usd);
        Assert.Equal(10m, catalog.Quote("unknown", 1_000_000, 1_000_000).Usd);
        Assert.Equal(0.4m, catalog.Quote("gpt-4.1-mini", 1_000_000, 0).Usd);
    }
}
