using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.AI;
using Vigil.Drift;
using Vigil.Embeddings;
using Vigil.Metrics;
using Vigil.Reports;
using Vigil.Server.Hosting;
using Vigil.Server.Ingest;
using Vigil.Server.Storage;

namespace Vigil.Server.Drift;

/// <summary><c>services.AddEmbeddingDriftWatch(configuration)</c>.</summary>
public static class EmbeddingDriftWatchServiceCollectionExtensions
{
    /// <summary>The most vectors a pinned reference file gives; later lines are not read.</summary>
    public const int MaxPinnedVectors = 100_000;

    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxRestoreSpan = TimeSpan.FromDays(3650);

    /// <summary>
    /// Registers <see cref="EmbeddingDriftWatch"/> (always, so the report can ask it) and, when
    /// <c>Vigil:EmbeddingDrift:Enabled</c> is true, runs it as a hosted service. Options come from
    /// <c>Vigil:EmbeddingDrift</c> (<see cref="EmbeddingDriftWatchOptions"/>), the tests from <c>Vigil:Drift</c>
    /// (<see cref="DriftOptions"/>), the local model's from <c>Vigil:Embeddings</c>. A pinned reference file is read here.
    /// </summary>
    /// <exception cref="VigilServerStartupException">The configuration is invalid or the reference file cannot be used; the message says which setting or line.</exception>
    public static IServiceCollection AddEmbeddingDriftWatch(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = Bind<EmbeddingDriftWatchOptions>(configuration, EmbeddingDriftWatchOptions.SectionName);
        if (!options.Enabled)
        {
            services.AddSingleton(new EmbeddingDriftWatch(options));
            return services;
        }

        Check(options);
        var methods = ParseMethods(options.Methods);
        var test = Bind<DriftOptions>(configuration, DriftOptions.SectionName);
        CheckAnnotations(test, DriftOptions.SectionName);

        Func<IEmbeddingGenerator<string, Embedding<float>>>? localModel = null;
        if (options.LocalModel)
        {
            var server = new VigilServerOptions();
            configuration.GetSection(VigilServerOptions.SectionName).Bind(server);
            if (server.Content == ContentMode.Drop)
            {
                throw new VigilServerStartupException(
                    $"{EmbeddingDriftWatchOptions.SectionName}:LocalModel embeds the records' query, but {VigilServerOptions.SectionName}:Content is Drop, " +
                    "so no query is kept: set Content to Store or Redact, or turn LocalModel off (records that carry an embedding still count).");
            }

            var modelOptions = Bind<MiniLmEmbeddingGeneratorOptions>(configuration, MiniLmEmbeddingGeneratorOptions.SectionName);
            CheckAnnotations(modelOptions, MiniLmEmbeddingGeneratorOptions.SectionName);
            localModel = () => new MiniLmEmbeddingGenerator(modelOptions);
        }

        var (pinned, pinnedModel) = options.ReferenceFile is { } file ? ReadReference(file) : (null, null);
        services.AddSingleton(sp => new EmbeddingDriftWatch(options, test, methods, pinned, pinnedModel, localModel,
            sp.GetRequiredService<IngestWriter>(), sp.GetRequiredService<IVigilStore>(), sp.GetRequiredService<VigilMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EmbeddingDriftWatch>>()));
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

    private static void Check(EmbeddingDriftWatchOptions options)
    {
        CheckAnnotations(options, EmbeddingDriftWatchOptions.SectionName);
        var section = EmbeddingDriftWatchOptions.SectionName;
        if (options.Interval < MinInterval || options.Interval > MaxInterval)
        {
            throw new VigilServerStartupException(
                string.Create(CultureInfo.InvariantCulture, $"{section}:Interval must be from 00:00:00.010 to 1.00:00:00 (10 ms to a day), not {options.Interval}."));
        }

        if (options.RestoreSpan < TimeSpan.Zero || options.RestoreSpan > MaxRestoreSpan)
        {
            throw new VigilServerStartupException(
                string.Create(CultureInfo.InvariantCulture, $"{section}:RestoreSpan must be from 0 (no restore) to 3650 days, not {options.RestoreSpan}."));
        }

        if (options.ReferenceFile is { } file && string.IsNullOrWhiteSpace(file))
        {
            throw new VigilServerStartupException($"{section}:ReferenceFile is blank; give a path or remove the setting.");
        }
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

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        // A misspelt setting (Enable for Enabled) would otherwise be ignored without a word.
        var known = typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToList();
        var unknown = configuration.GetSection(section).GetChildren().Select(c => c.Key)
            .Where(key => !known.Contains(key, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new VigilServerStartupException(
                $"{section}: unknown setting(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}; the settings are {string.Join(", ", known)}.");
        }

        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the value, the key and the type.
            throw new VigilServerStartupException(ex.Message, ex);
        }

        return options;
    }

    private static void CheckAnnotations(object options, string section)
    {
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new VigilServerStartupException($"{section}: {string.Join("; ", problems.Select(p => $"{string.Join(", ", p.MemberNames)}: {p.ErrorMessage}"))}");
        }
    }
}
