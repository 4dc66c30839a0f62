using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigil.Embeddings;

/// <summary><c>services.AddVigilLocalEmbeddings()</c>.</summary>
public static class LocalEmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MiniLmEmbeddingGenerator"/> as the singleton <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>
    /// of strings, with its options bound from the <c>Vigil:Embeddings</c> configuration section (when the app has
    /// configuration) and validated. The model loads when the generator is first resolved and is freed with the container.
    /// </summary>
    /// <returns>The builder, to add middleware such as <c>UseOpenTelemetry()</c> or <c>UseDistributedCache()</c>.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddVigilLocalEmbeddings(
        this IServiceCollection services, Action<MiniLmEmbeddingGeneratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MiniLmEmbeddingGeneratorOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(MiniLmEmbeddingGeneratorOptions.SectionName).Bind(o))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services.AddEmbeddingGenerator(
            sp => new MiniLmEmbeddingGenerator(sp.GetRequiredService<IOptions<MiniLmEmbeddingGeneratorOptions>>().Value));
    }
}
