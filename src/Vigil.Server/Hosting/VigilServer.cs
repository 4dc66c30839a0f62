using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Vigil.Evaluation.Judge;
using Vigil.Evaluation.Online;
using Vigil.Evaluation.Quality;
using Vigil.Server.Evaluation;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Reports;
using Vigil.Server.Apis;
using Vigil.Server.Content;
using Vigil.Server.Drift;
using Vigil.Server.Ingest;
using Vigil.Server.Security;
using Vigil.Server.Storage;
using Vigil.Signals;

namespace Vigil.Server.Hosting;

/// <summary>Builds and starts the collector (<c>vigil serve</c>).</summary>
public static class VigilServer
{
    // Threads the pool starts at once when work is queued, at least. The ingest writer holds a pool thread while it
    // commits or merges (SQLite works synchronously), and so does the pipeline while it digests a commit; with the
    // default (one per core) the 202s of requests already committed queued behind them for a free thread, up to
    // ~100 ms on 2 cores, until the pool decided to add one.
    private const int MinPoolThreads = 16;

    /// <summary>
    /// Builds the collector. Options come from configuration (<c>Vigil:Server</c>, <c>Vigil:Signals</c>, <c>Vigil</c>)
    /// with <paramref name="configureOptions"/> applied last (the command line's flags).
    /// </summary>
    public static WebApplication Build(string[] args, Action<VigilServerOptions>? configureOptions = null, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        // Configuration is bound once at start, so nothing needs reloading; a reloading configuration would watch the
        // content root (the working directory) recursively, and every write to ./data's WAL would wake that watcher.
        var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
        EnsureThreadPoolHeadroom();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configureBuilder?.Invoke(builder);

        var options = new VigilServerOptions();
        builder.Configuration.GetSection(VigilServerOptions.SectionName).Bind(options);
        AddKeysFromEnvironment(options.IngestKeys, "VIGIL_INGEST_KEYS");
        AddKeysFromEnvironment(options.ReadKeys, "VIGIL_READ_KEYS");
        configureOptions?.Invoke(options);
        Validate(options);

        var signalOptions = new SignalOptions();
        builder.Configuration.GetSection(SignalOptions.SectionName).Bind(signalOptions);
        var vigilOptions = new VigilOptions();
        builder.Configuration.GetSection(VigilOptions.SectionName).Bind(vigilOptions);

        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes + 1);

        var services = builder.Services;
        // The ASP.NET request id is not the contract's trace_id: name it request_id. ASP.NET adds it before this
        // runs, named through the JSON naming policy ("traceId" in snake_case is "trace_id").
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            foreach (var name in (ReadOnlySpan<string>)["traceId", "trace_id"])
            {
                if (context.ProblemDetails.Extensions.Remove(name, out var requestId))
                {
                    context.ProblemDetails.Extensions["request_id"] = requestId;
                }
            }
        });
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddSingleton(options);
        services.AddSingleton(signalOptions);
        services.AddSingleton(vigilOptions);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IVigilStore>(_ => CreateStore(options));
        services.AddSingleton(_ => new VigilMetrics());
        services.AddSingleton(sp => new PrometheusTextExporter(sp.GetRequiredService<VigilMetrics>().Meter));
        services.AddSingleton(sp => new MetricCatalogWriter(sp.GetRequiredService<VigilMetrics>(), vigilOptions));
        services.AddSingleton(_ => PriceCatalog.Default.With(vigilOptions.Prices.AsReadOnly(), vigilOptions.FallbackPrice));
        var driftOptions = new QualityDriftOptions();
        builder.Configuration.GetSection(QualityDriftOptions.SectionName).Bind(driftOptions);
        services.AddSingleton(sp => new QualityWatch(driftOptions, sp.GetRequiredService<VigilMetrics>()));
        services.AddSingleton(sp => new SignalPipeline(signalOptions, sp.GetRequiredService<PriceCatalog>(),
            sp.GetRequiredService<MetricCatalogWriter>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<QualityWatch>()));
        services.AddSingleton(_ => new ContentRedactor(options.Content));
        services.AddSingleton(_ => new ApiKeyAuthenticator(options));
        services.AddSingleton<IngestWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        services.AddEmbeddingDriftWatch(builder.Configuration);
        AddOnlineJudge(builder, options, vigilOptions);

        var app = builder.Build();

        // The exporter must listen before the first record is counted.
        _ = app.Services.GetRequiredService<PrometheusTextExporter>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                StoreUnavailableException => StatusCodes.Status503ServiceUnavailable,
                JsonException => StatusCodes.Status400BadRequest,
                OperationCanceledException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();

        var authenticator = app.Services.GetRequiredService<ApiKeyAuthenticator>();
        app.MapGroup("/v1").AddEndpointFilter(new ApiKeyFilter(authenticator, ApiKeyScope.Ingest)).MapIngestApi();
        app.MapGroup("/v1").AddEndpointFilter(new ApiKeyFilter(authenticator, ApiKeyScope.Read)).MapReadApi();
        app.MapMetrics().AddEndpointFilter(new ApiKeyFilter(authenticator, ApiKeyScope.Read));
        app.MapGet("/healthz", async (IVigilStore store, CancellationToken ct) =>
            await store.PingAsync(ct).ConfigureAwait(false)
                ? Results.Ok(new { status = "ok" })
                : Results.Problem("The store does not answer.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unhealthy"));
        return app;
    }

    /// <summary>Creates the store's schema and rebuilds the window from it; call before <c>RunAsync</c>.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var store = app.Services.GetRequiredService<IVigilStore>();
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WindowRestorer.RestoreAsync(store, app.Services.GetRequiredService<SignalPipeline>(),
            app.Services.GetRequiredService<TimeProvider>(), cancellationToken).ConfigureAwait(false);
    }

    private static void AddOnlineJudge(WebApplicationBuilder builder, VigilServerOptions options, VigilOptions vigilOptions)
    {
        if (string.IsNullOrWhiteSpace(options.JudgeEndpoint))
        {
            return;
        }

        var judgeOptions = new LlmJudgeOptions();
        builder.Configuration.GetSection(LlmJudgeOptions.SectionName).Bind(judgeOptions);
        judgeOptions.JudgeModel = options.JudgeModel ?? judgeOptions.JudgeModel;
        var onlineOptions = new OnlineEvaluationOptions();
        builder.Configuration.GetSection(OnlineEvaluationOptions.SectionName).Bind(onlineOptions);
        if (!Uri.TryCreate(options.JudgeEndpoint, UriKind.Absolute, out var endpoint))
        {
            throw new VigilServerStartupException($"The judge endpoint '{options.JudgeEndpoint}' is not an absolute URL, e.g. http://127.0.0.1:8000/v1.");
        }

        if (string.IsNullOrWhiteSpace(judgeOptions.JudgeModel))
        {
            throw new VigilServerStartupException("The online judge needs a model: give --judge-model or Vigil:Judge:JudgeModel.");
        }

        IChatClient chatClient;
        try
        {
            chatClient = JudgeEndpoint.CreateChatClient(endpoint, judgeOptions.JudgeModel, Environment.GetEnvironmentVariable(options.JudgeApiKeyVariable));
            Validator.ValidateObject(onlineOptions, new ValidationContext(onlineOptions), validateAllProperties: true);
            Validator.ValidateObject(judgeOptions, new ValidationContext(judgeOptions), validateAllProperties: true);
        }
        catch (Exception ex) when (ex is ArgumentException or ValidationException)
        {
            throw new VigilServerStartupException($"The online judge is misconfigured: {ex.Message}");
        }

        var services = builder.Services;
        services.AddSingleton(sp => new JudgeMetrics(sp.GetRequiredService<VigilMetrics>(), vigilOptions));
        services.AddSingleton(sp => new LlmJudge(chatClient, judgeOptions, sp.GetRequiredService<JudgeMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new OnlineEvaluator(sp.GetRequiredService<LlmJudge>(), onlineOptions,
            OnlineEvaluationService.StoreThrough(sp.GetRequiredService<IngestWriter>()), sp.GetRequiredService<VigilMetrics>(),
            sp.GetRequiredService<ILogger<OnlineEvaluator>>()));
        services.AddSingleton<OnlineEvaluationService>();
        services.AddHostedService(sp => sp.GetRequiredService<OnlineEvaluationService>());
    }

    private static IVigilStore CreateStore(VigilServerOptions options) =>
        string.IsNullOrWhiteSpace(options.Store)
            ? CreateSqliteStore(options)
            : new PostgresVigilStore(options.Store);

    private static SqliteVigilStore CreateSqliteStore(VigilServerOptions options)
    {
        options.Sqlite.SynchronousFull |= options.SqliteFullSync;
        try
        {
            return new SqliteVigilStore(Path.GetFullPath(options.DataDirectory), options.Sqlite);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new VigilServerStartupException($"Vigil:Server:Sqlite is misconfigured: {ex.Message}");
        }
    }

    private static void Validate(VigilServerOptions options)
    {
        var urls = ListenAddresses.Split(options.Urls);
        if (urls.Count == 0)
        {
            throw new VigilServerStartupException("No address to listen on: give --urls, e.g. http://127.0.0.1:5080.");
        }

        var exposed = urls.Where(u => !ListenAddresses.IsLoopback(u)).ToList();
        if (exposed.Count > 0 && !options.RequiresKeys)
        {
            throw new VigilServerStartupException(
                $"Refusing to listen on {string.Join(", ", exposed)} without API keys: anyone on the network could post and read. " +
                "Set ingest and read keys (VIGIL_INGEST_KEYS and VIGIL_READ_KEYS, comma-separated, or Vigil:Server:IngestKeys / ReadKeys), or listen on 127.0.0.1.");
        }
    }

    private static void EnsureThreadPoolHeadroom()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinPoolThreads)
        {
            ThreadPool.SetMinThreads(MinPoolThreads, io);
        }
    }

    private static void AddKeysFromEnvironment(IList<string> keys, string variable)
    {
        foreach (var key in (Environment.GetEnvironmentVariable(variable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            keys.Add(key);
        }
    }
}
