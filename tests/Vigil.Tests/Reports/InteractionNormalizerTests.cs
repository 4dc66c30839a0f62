using Vigil.Pricing;
using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Tests.Reports;

public sealed class InteractionNormalizerTests
{
    [Fact]
    public void Normalize_SameModelStringUnderTwoCatalogs_EachPricesItsOwnWay()
    {
        var cheap = new PriceCatalog(new Dictionary<string, ModelPrice> { ["m-1"] = new() { Input = 1m, Output = 2m } }, new ModelPrice { Input = 9m, Output = 9m });
        var dear = new PriceCatalog(new Dictionary<string, ModelPrice> { ["M-1"] = new() { Input = 10m, Output = 20m } }, new ModelPrice { Input = 9m, Output = 9m });
        var model = "m-1";
        var first = new InteractionNormalizer(cheap);
        var second = new InteractionNormalizer(dear);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((1_000m * 1m + 500m * 2m) / 1_000_000m, Cost(first, model));
            Assert.Equal((1_000m * 10m + 500m * 20m) / 1_000_000m, Cost(second, model));
            Assert.Equal((1_000m * 9m + 500m * 9m) / 1_000_000m, Cost(first, "m-2"));
        }
    }

    [Fact]
    public void Normalize_ManyModelsInTurn_EachGetsItsCatalogPrice()
    {
        var catalog = PriceCatalog.Default;
        var normalizer = new InteractionNormalizer(catalog);
        var models = catalog.Models.Concat(["unknown-model", "gpt-4.1-mini-2025-04-14"]).Select(m => new string(m.AsSpan())).ToArray();

        for (var round = 0; round < 3; round++)
        {
            foreach (var model in models)
            {
                Assert.Equal(catalog.Quote(model, 1_000, 500).Usd, Cost(normalizer, model));
            }
        }
    }

    private static decimal? Cost(InteractionNormalizer normalizer, string model)
    {
        var figures = new InteractionFigures { Model = model, Feature = "f", UserTier = "free", Status = InteractionStatus.Success, InputTokens = 1_000, OutputTokens = 500 };
        normalizer.Normalize(ref figures);
        return figures.CostUsd;
    }
}
