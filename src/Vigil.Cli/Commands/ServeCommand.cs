using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vigil.Server.Gateway;
using Vigil.Server.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil serve</c>: the collector.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, ';'-separated. Default http://127.0.0.1:5080." };
        var data = new Option<string?>("--data") { Description = "Directory of the embedded SQLite store. Default ./data." };
        var store = new Option<string?>("--store") { Description = "A PostgreSQL connection string or postgres:// URI; the store is PostgreSQL instead of SQLite." };
        var judgeEndpoint = new Option<string?>("--judge-endpoint") { Description = "OpenAI-compatible base URL of an online LLM judge, e.g. http://127.0.0.1:8000/v1 (key from VIGIL_JUDGE_API_KEY). Default: no online judge." };
        var judgeModel = new Option<string?>("--judge-model") { Description = "The online judge's model (with --judge-endpoint)." };
        var gateway = new Option<string?>("--gateway")
        {
            Description = "An OpenAI-compatible upstream base URL, e.g. https://api.openai.com/v1: serves POST /v1/chat/completions and /v1/embeddings, " +
                          "forwards them there and records every call (Vigil:Gateway:Upstream). Default: no gateway.",
        };
        var command = new Command("serve", "Runs the collector: any app posts interactions and feedback over HTTP; it stores them durably and serves /v1/report and /metrics. " +
                                           "API keys come from VIGIL_INGEST_KEYS and VIGIL_READ_KEYS (comma-separated) or configuration (Vigil:Server).")
        {
            urls, data, store, judgeEndpoint, judgeModel, gateway,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(urls), parseResult.GetValue(data), parseResult.GetValue(store),
            parseResult.GetValue(judgeEndpoint), parseResult.GetValue(judgeModel), parseResult.GetValue(gateway), parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? urls, string? data, string? store, string? judgeEndpoint, string? judgeModel, string? gateway,
        TextWriter stderr, CancellationToken cancellationToken)
    {
        // The flags are configuration like any other source, added last so they win.
        var flags = new Dictionary<string, string?>
        {
            [Key(nameof(VigilServerOptions.Urls))] = urls,
            [Key(nameof(VigilServerOptions.DataDirectory))] = data,
            [Key(nameof(VigilServerOptions.Store))] = store,
            [Key(nameof(VigilServerOptions.JudgeEndpoint))] = judgeEndpoint,
            [Key(nameof(VigilServerOptions.JudgeModel))] = judgeModel,
            [$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Upstream)}"] = gateway,
        };
        WebApplication app;
        try
        {
            app = VigilServer.Build([], builder => builder.Configuration.AddInMemoryCollection(flags.Where(f => f.Value is not null)));
        }
        catch (VigilServerStartupException ex)
        {
            return await BadUsageAsync(stderr, ex).ConfigureAwait(false);
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await VigilServer.PrepareAsync(app, cancellationToken).ConfigureAwait(false);
            }
            catch (VigilServerStartupException ex)
            {
                return await BadUsageAsync(stderr, ex).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any store failure at start is reported, not thrown at the user.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                await stderr.WriteLineAsync($"vigil serve: the store could not be opened: {ex.Message}").ConfigureAwait(false);
                return VigilCommandLine.WorkFailed;
            }

            var options = app.Services.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            var where = string.IsNullOrWhiteSpace(options.Store) ? $"SQLite in {Path.GetFullPath(options.DataDirectory)}" : "PostgreSQL";
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await stderr.WriteLineAsync($"vigil serve: listening on {options.Urls}, store: {where}; the dashboard page at {ListenAddresses.Split(options.Urls)[0].TrimEnd('/')}/. Ctrl+C stops.").ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (VigilServerStartupException ex)
            {
                return await BadUsageAsync(stderr, ex).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await stderr.WriteLineAsync($"vigil serve: {ex.Message}").ConfigureAwait(false);
                return VigilCommandLine.WorkFailed;
            }
        }

        return VigilCommandLine.Success;
    }

    private static string Key(string option) => $"{VigilServerOptions.SectionName}:{option}";

    private static async Task<int> BadUsageAsync(TextWriter stderr, VigilServerStartupException ex)
    {
        await stderr.WriteLineAsync($"vigil serve: {ex.Message}").ConfigureAwait(false);
        return VigilCommandLine.BadUsage;
    }
}
