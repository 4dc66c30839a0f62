using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Configuration;
using Vigil.Drift;
using Vigil.Embeddings;
using Vigil.Metrics;
using Vigil.Reports;
using Vigil.Server.Hosting;
using Vigil.Server.Ingest;
using Vigil.Server.Storage;

namespace Vigil.Server.Drift;

/// <summary><c>services.AddEmbeddingDriftWatch(configuration)</c>, part of <c>AddVigilCollector</c>.</summary>
internal static class EmbeddingDriftWatchServiceCollectionExtensions
{
    /// <summary>The most vectors a pinned reference file gives; later lines are not read.</summary>
    public const int MaxPinnedVectors = 100_000;

    /// <summary>The setting that runs the watch.</summary>
    public const string EnabledKey = $"{EmbeddingDriftWatchOptions.SectionName}:{nameof(EmbeddingDriftWatchOptions.Enabled)}";

    /// <summary>The setting that embeds query text on this machine.</summary>
    public const string LocalModelKey = $"{EmbeddingDriftWatchOptions.SectionName}:{nameof(EmbeddingDriftWatchOptions.LocalModel)}";

    /// <summary>
    /// Registers <see cref="EmbeddingDriftWatch"/> (always, so the report can ask it) and, unless
    /// <c>Vigil:EmbeddingDrift:Enabled</c> is false in <paramref name="configuration"/>, runs it as a hosted service
    /// (on by default for records that carry embeddings; the local model stays off unless <c>LocalModel</c> is true).
    /// Options come from <c>Vigil:EmbeddingDrift</c> (<see cref="EmbeddingDriftWatchOptions"/>), the tests from
    /// <c>Vigil:Drift</c> (<see cref="DriftOptions"/>), the local model's from <c>Vigil:Embeddings</c>, each bound and
    /// validated at start (a misspelt setting too). A pinned reference file is read when the watch is created.
    /// </summary>
    /// <exception cref="VigilServerStartupException">A switch is neither true nor false.</exception>
    public static IServiceCollection AddEmbeddingDriftWatch(this IServiceCollection services, IConfiguration configuration)
    {
        if (!CollectorSwitches.IsOn(configuration, EnabledKey, whenMissing: true))
        {
            services.TryAddSingleton(_ => new EmbeddingDriftWatch(new EmbeddingDriftWatchOptions { Enabled = false }));
            return services;
        }

        AddOptions<EmbeddingDriftWatchOptions>(services, EmbeddingDriftWatchOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingDriftWatchOptions>, EmbeddingDriftWatchOptionsValidator>());
        AddOptions<DriftOptions>(services, DriftOptions.SectionName);
        if (CollectorSwitches.IsOn(configuration, LocalModelKey))
        {
            AddOptions<MiniLmEmbeddingGeneratorOptions>(services, MiniLmEmbeddingGeneratorOptions.SectionName);
        }

        services.TryAddSingleton(Create);
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddingDriftWatch>());
        return services;
    }

    /// <summary>Parses <c>all</c> or a comma-separated list of <c>ks</c>, <c>mmd</c>, <c>cosine</c>, <c>euclidean</c>.</summary>
    internal static DriftMethods ParseMethods(string? text)
    {
        var methods = DriftMethods.None;
        foreach (var name in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            methods |= name.ToUpperInvariant() switch
            {
                "ALL" => DriftMethods.All,
                "KS" => DriftMethods.Ks,
                "MMD" => DriftMethods.Mmd,
                "COSINE" => DriftMethods.Cosine,
                "EUCLIDEAN" => DriftMethods.Euclidean,
                _ => throw new VigilServerStartupException(
                    $"{EmbeddingDriftWatchOptions.SectionName}:Methods: unknown method '{name}'; use all or a comma-separated list of ks, mmd, cosine, euclidean."),
            };
        }

        return methods != DriftMethods.None
            ? methods
            : throw new VigilServerStartupException($"{EmbeddingDriftWatchOptions.SectionName}:Methods is empty; use all or a comma-separated list of ks, mmd, cosine, euclidean.");
    }

    private static EmbeddingDriftWatch Create(IServiceProvider services)
    {
        var options = services.GetOptions<EmbeddingDriftWatchOptions>();
        Func<IEmbeddingGenerator<string, Embedding<float>>>? localModel = null;
        if (options.LocalModel)
        {
            var modelOptions = services.GetOptions<MiniLmEmbeddingGeneratorOptions>();
            localModel = () => new MiniLmEmbeddingGenerator(modelOptions);
        }

        var (pinned, pinnedModel) = options.ReferenceFile is { } file ? ReadReference(file) : (null, null);
        return new EmbeddingDriftWatch(options, services.GetOptions<DriftOptions>(), ParseMethods(options.Methods), pinned, pinnedModel, localModel,
            services.GetRequiredService<IngestWriter>(), services.GetRequiredService<IVigilStore>(), services.GetRequiredService<VigilMetrics>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<EmbeddingDriftWatch>>());
    }

    private static void AddOptions<TOptions>(IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddVigilOptions<TOptions>(section);
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new UnknownSettingsValidator<TOptions>(sp.GetRequiredService<IConfiguration>(), section));
    }

    private static (EmbeddingSet Set, string? Model) ReadReference(string path)
    {
        var section = EmbeddingDriftWatchOptions.SectionName;
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new VigilServerStartupException($"{section}:ReferenceFile: {full}: no such file. Write one with `vigil drift --reference … --save-reference {path}`.");
        }

        var errors = new List<LineError>();
        EmbeddingReadResult read;
        try
        {
            read = EmbeddingFileReader.ReadFileAsync(full, new EmbeddingReadOptions { Limit = MaxPinnedVectors }, errors.Add)
                .GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VigilServerStartupException($"{section}:ReferenceFile: {full}: cannot be read: {ex.Message}", ex);
        }

        if (errors.Count > 0)
        {
            throw new VigilServerStartupException(
                string.Create(CultureInfo.InvariantCulture, $"{section}:ReferenceFile: {errors[0]}") + (errors.Count > 1 ? $" (and {errors.Count - 1} more bad line(s))" : string.Empty));
        }

        if (read.Set is not { Count: >= 2 } set)
        {
            throw new VigilServerStartupException($"{section}:ReferenceFile: {full}: needs at least 2 embeddings, has {read.Set?.Count ?? 0}.");
        }

        return (set, read.Models is [{ } model] ? model : null);
    }
}
