using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Vigil.Configuration;
using Vigil.Drift;
using Vigil.Embeddings;
using Vigil.Evaluation.Judge;
using Vigil.Evaluation.Online;
using Vigil.Evaluation.Quality;
using Vigil.Server.Drift;
using Vigil.Reports;

namespace Vigil.Server.Hosting;

/// <summary>
/// The host of <c>vigil serve</c>: a slim web app around <c>AddVigilCollector</c> and <c>MapVigilCollector</c>, with
/// what only a host of its own decides: where it listens, Kestrel's body limit, the thread pool, the error pages.
/// </summary>
public static class VigilServer
{
    // Threads the pool starts at once when work is queued, at least. The ingest writer holds a pool thread while it
    // commits or merges (SQLite works synchronously), and so does the pipeline while it digests a commit; with the
    // default (one per core) the 202s of requests already committed queued behind them for a free thread, up to
    // ~100 ms on 2 cores, until the pool decided to add one.
    private const int MinPoolThreads = 16;

    // The sections of the options a startup failure may name.
    private static readonly Dictionary<Type, string> Sections = new()
    {
        [typeof(VigilServerOptions)] = VigilServerOptions.SectionName,
        [typeof(VigilOptions)] = VigilOptions.SectionName,
        [typeof(SignalOptions)] = SignalOptions.SectionName,
        [typeof(QualityDriftOptions)] = QualityDriftOptions.SectionName,
        [typeof(EmbeddingDriftWatchOptions)] = EmbeddingDriftWatchOptions.SectionName,
        [typeof(DriftOptions)] = DriftOptions.SectionName,
        [typeof(MiniLmEmbeddingGeneratorOptions)] = MiniLmEmbeddingGeneratorOptions.SectionName,
        [typeof(LlmJudgeOptions)] = LlmJudgeOptions.SectionName,
        [typeof(OnlineEvaluationOptions)] = OnlineEvaluationOptions.SectionName,
        [typeof(Gateway.GatewayOptions)] = Gateway.GatewayOptions.SectionName,
    };

    /// <summary>
    /// Builds the collector. Configuration comes from the usual sources (<c>appsettings.json</c>, the environment with
    /// <c>__</c> for <c>:</c>, <paramref name="args"/>), then whatever <paramref name="configureBuilder"/> adds (the
    /// command line's flags). Every option is bound and validated here, so a bad setting fails the build.
    /// </summary>
    /// <exception cref="VigilServerStartupException">The configuration is invalid, or exposes the collector without keys; the message says what to do.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        // Configuration is bound once at start, so nothing needs reloading; a reloading configuration would watch the
        // content root (the working directory) recursively, and every write to ./data's WAL would wake that watcher.
        var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
        EnsureThreadPoolHeadroom();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configureBuilder?.Invoke(builder);

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
        services.AddVigilCollector(builder.Configuration);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<VigilServerOptions>>((kestrel, vigil) =>
            kestrel.Limits.MaxRequestBodySize = vigil.Value.MaxBodyBytes + 1);

        // Kestrel takes its limit from the options as the app is built: a bad setting can surface there already.
        var app = Checked(builder.Build);
        try
        {
            // Every option validated now (what ValidateOnStart checks at start), then the addresses against the keys.
            var options = Checked(() =>
            {
                app.Services.GetService<IStartupValidator>()?.Validate();
                return app.Services.GetOptions<VigilServerOptions>();
            });
            foreach (var url in CheckedAddresses(options, app.Services.GetOptions<Gateway.GatewayOptions>()))
            {
                app.Urls.Add(url);
            }
        }
        catch
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => CollectorErrors.StatusOf(ex) ?? StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.MapVigilCollector();
        return app;
    }

    /// <summary>
    /// Creates the store's schema and rebuilds the window from it; call before <c>RunAsync</c> to tell a store that cannot
    /// be opened from other failures (the app's start does it otherwise).
    /// </summary>
    public static Task PrepareAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<CollectorStartup>().PrepareAsync(cancellationToken);
    }

    // A step of the build, with a failure of the options as the startup exception that names the setting.
    private static T Checked<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (OptionsValidationException ex)
        {
            throw new VigilServerStartupException(Describe(ex), ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw new VigilServerStartupException(string.Join(" ", ex.InnerExceptions.Cast<OptionsValidationException>().Select(Describe)), ex);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the value, the key and the type.
            throw new VigilServerStartupException(ex.Message, ex);
        }
    }

    private static IReadOnlyList<string> CheckedAddresses(VigilServerOptions options, Gateway.GatewayOptions gateway)
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

        if (exposed.Count > 0 && gateway.Enabled && gateway.Keys.Count == 0)
        {
            throw new VigilServerStartupException(
                $"Refusing to serve the gateway on {string.Join(", ", exposed)} without gateway keys: anyone on the network could call the upstream through it. " +
                "Set VIGIL_GATEWAY_KEYS (comma-separated) or Vigil:Gateway:Keys, or listen on 127.0.0.1.");
        }

        return urls;
    }

    // Each failure with its section in front, unless it names the section itself.
    private static string Describe(OptionsValidationException exception) =>
        string.Join(" ", exception.Failures.Select(failure =>
            Sections.TryGetValue(exception.OptionsType, out var section) && !failure.Contains(section, StringComparison.Ordinal)
                ? $"{section}: {failure}"
                : failure));

    private static void EnsureThreadPoolHeadroom()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinPoolThreads)
        {
            ThreadPool.SetMinThreads(MinPoolThreads, io);
        }
    }
}
