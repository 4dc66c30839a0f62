using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Reports;
using Vigil.Server.Content;
using Vigil.Server.Drift;
using Vigil.Server.Evaluation;
using Vigil.Server.Hosting;
using Vigil.Server.Ingest;
using Vigil.Server.Security;
using Vigil.Server.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddVigilCollector(configuration)</c>: the collector inside any ASP.NET Core app.</summary>
public static class VigilCollectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the collector (<c>vigil serve</c>'s services) in an app: Vigil's core pipeline through
    /// <c>AddVigil()</c>, the store (SQLite under <c>Vigil:Server:DataDirectory</c>, or PostgreSQL with
    /// <c>Vigil:Server:Store</c>), the ingest writer, the Prometheus exporter of the <c>Vigil</c> meter, API keys, and,
    /// when configured, the embedding drift watch and the online judge. Map the endpoints with <c>MapVigilCollector()</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Options are bound from their sections and validated when the host starts: <c>Vigil:Server</c>
    /// (<see cref="VigilServerOptions"/>, with the keys of <c>VIGIL_INGEST_KEYS</c>, <c>VIGIL_READ_KEYS</c> and <c>VIGIL_ADMIN_KEYS</c> added),
    /// <c>Vigil:EmbeddingDrift</c>, <c>Vigil:Drift</c>, <c>Vigil:Embeddings</c>, <c>Vigil:Judge</c>,
    /// <c>Vigil:OnlineEvaluation</c>, and <c>AddVigil</c>'s <c>Vigil</c>, <c>Vigil:Signals</c>, <c>Vigil:QualityDrift</c>.
    /// Tune them after this call with <c>services.PostConfigure&lt;VigilServerOptions&gt;(…)</c>.
    /// </para>
    /// <para>
    /// <paramref name="configuration"/> decides which parts are registered at all: the embedding drift watch runs unless
    /// <c>Vigil:EmbeddingDrift:Enabled</c> is false, the online judge with <c>Vigil:Server:JudgeEndpoint</c> set. Where
    /// and how the app listens (<c>Vigil:Server:Urls</c>, request size limits) is the host's business; <c>vigil serve</c>
    /// sets them from the same options.
    /// </para>
    /// <para>
    /// The store is readied (schema, then the window rebuilt from it) by a hosted service that runs before the collector's
    /// others and before the server starts, with the host's default sequential start.
    /// </para>
    /// </remarks>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration (<c>builder.Configuration</c>), the one its options are bound from.</param>
    /// <exception cref="VigilServerStartupException">A switch of the configuration is neither true nor false.</exception>
    public static IServiceCollection AddVigilCollector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(IngestWriter)))
        {
            return services;
        }

        services.AddVigil();
        services.AddVigilOptions<VigilServerOptions>(VigilServerOptions.SectionName).PostConfigure(ApiKeyVariables.AddTo);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VigilServerOptions>, VigilServerOptionsValidator>());

        services.TryAddSingleton(sp => new PrometheusTextExporter(sp.GetRequiredService<VigilMetrics>().Meter));
        services.TryAddSingleton(sp => new ContentRedactor(sp.GetOptions<VigilServerOptions>().Content));
        services.TryAddSingleton(sp => new ApiKeyAuthenticator(sp.GetOptions<VigilServerOptions>()));
        services.TryAddSingleton(sp => CreateStore(sp.GetOptions<VigilServerOptions>(), sp.GetRequiredService<TimeProvider>()));

        // First of the collector's hosted services: the store and the window are ready before anything writes or reads.
        services.AddSingleton<CollectorStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<CollectorStartup>());
        services.AddSingleton<IngestWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        services.AddVigilIncidentLog();
        services.AddVigilIncidents();
        services.AddEmbeddingDriftWatch(configuration);
        services.AddSingleton<IReportContributor>(sp => sp.GetRequiredService<EmbeddingDriftWatch>());
        services.AddOnlineJudge(configuration);
        services.AddVigilGateway(configuration);
        services.AddVigilAlertmanagerReceiver();
        services.AddVigilAlertStateStore();
        return services;
    }

    private static IVigilStore CreateStore(VigilServerOptions options, TimeProvider time)
    {
        if (!string.IsNullOrWhiteSpace(options.Store))
        {
            return new PostgresVigilStore(options.Store, time);
        }

        options.Sqlite.SynchronousFull |= options.SqliteFullSync;
        try
        {
            return new SqliteVigilStore(Path.GetFullPath(options.DataDirectory), options.Sqlite, time);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new VigilServerStartupException($"{VigilServerOptions.SectionName}:Sqlite is misconfigured: {ex.Message}");
        }
    }
}
