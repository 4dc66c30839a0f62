using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigil.Embeddings.Tests;

public sealed class LocalEmbeddingsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddVigilLocalEmbeddings_ResolvesOneGeneratorThatEmbedsLocally()
    {
        var services = new ServiceCollection();
        services.AddVigilLocalEmbeddings();
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embedding = await generator.GenerateVectorAsync("Where is my parcel?");

        Assert.Same(generator, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal(384, embedding.Length);
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    [Fact]
    public void AddVigilLocalEmbeddings_OptionsFromConfigurationThenTheDelegate()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Vigil:Embeddings:MaxBatchSize"] = "8", ["Vigil:Embeddings:IntraOpThreads"] = "1" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddVigilLocalEmbeddings(o => o.MaxConcurrency = 2);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MiniLmEmbeddingGeneratorOptions>>().Value;

        Assert.Equal(8, options.MaxBatchSize);
        Assert.Equal(1, options.IntraOpThreads);
        Assert.Equal(2, options.MaxConcurrency);
    }

    [Fact]
    public void AddVigilLocalEmbeddings_InvalidOptions_ValidationFailsNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddVigilLocalEmbeddings(o => o.MaxBatchSize = 0);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MiniLmEmbeddingGeneratorOptions>>().Value);

        Assert.Contains("MaxBatchSize", ex.Message, StringComparison.Ordinal);
    }
}
