using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Reports;
using Vigil.Server.Hosting;
using Vigil.Server.Ingest;
using Vigil.Signals;

namespace Vigil.Cli.Demo;

/// <summary>
/// One run of the demo: the simulated provider, the collector on the embedded store, the support agent and its
/// customers at the given rate, on the scenario's timeline. Everything runs on loopback in this process.
/// </summary>
internal sealed class DemoRun : IAsyncDisposable
{
    // Customers waiting for an answer at once, at most; past it the next customer waits (memory stays bounded).
    private const int MaxInFlight = 512;

    private readonly DemoSettings _settings;
    private readonly SimulatedProvider _provider;
    private readonly WebApplication _collector;
    private long _served;
    private long _failed;
    private long _degraded;

    private DemoRun(DemoSettings settings, SimulatedProvider provider, WebApplication collector, Uri collectorUrl, string? readKey, string? ingestKey)
    {
        _settings = settings;
        _provider = provider;
        _collector = collector;
        CollectorUrl = collectorUrl;
        ReadKey = readKey;
        IngestKey = ingestKey;
    }

    /// <summary>The collector's base URL (the page, <c>/metrics</c>, the API).</summary>
    public Uri CollectorUrl { get; }

    /// <summary>A read key when the collector has read keys (from the user's configuration).</summary>
    public string? ReadKey { get; }

    private string? IngestKey { get; }

    /// <summary>Customers served so far (answered, possibly degraded).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Customers whose call failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Customers answered in a degraded mode.</summary>
    public long Degraded => Interlocked.Read(ref _degraded);

    /// <summary>The run's settings.</summary>
    public DemoSettings Settings => _settings;

    /// <summary>Starts the provider and the collector.</summary>
    /// <exception cref="VigilServerStartupException">The collector's settings are invalid.</exception>
    public static async Task<DemoRun> StartAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        var provider = await SimulatedProvider.StartAsync(settings.Timeline, settings.Seed).ConfigureAwait(false);
        WebApplication? collector = null;
        try
        {
            var flags = new Dictionary<string, string?>
            {
                ["Vigil:Server:Urls"] = settings.Urls,
                ["Vigil:Server:DataDirectory"] = settings.DataDirectory,
            };
            collector = VigilServer.Build([], builder =>
            {
                // The demo's settings first, so the user's own configuration wins; the flags last, so they win over all.
                builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = settings.CollectorDefaults(provider.JudgeBaseUrl) });
                builder.Configuration.AddInMemoryCollection(flags);
                // The live view owns the terminal: only warnings and errors, on stderr (stdout is the report's).
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            });
            await VigilServer.PrepareAsync(collector, cancellationToken).ConfigureAwait(false);
            await collector.StartAsync(cancellationToken).ConfigureAwait(false);
            var options = collector.Services.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            var url = new Uri(ListenAddresses.Split(options.Urls)[0].TrimEnd('/') + "/");
            return new DemoRun(settings, provider, collector, url, options.ReadKeys.FirstOrDefault(), options.IngestKeys.FirstOrDefault());
        }
        catch
        {
            if (collector is not null)
            {
                await collector.DisposeAsync().ConfigureAwait(false);
            }

            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The phase at <paramref name="elapsed"/> into the run.</summary>
    public DemoPhase PhaseAt(TimeSpan elapsed) => _settings.Timeline.At(Math.Clamp(elapsed / _settings.Duration, 0, 1));

    /// <summary>Sends the customers: call <c>i</c> at <c>i / rate</c> seconds, until the duration is over; then flushes the agent.</summary>
    public async Task RunCustomersAsync(CancellationToken cancellationToken)
    {
        var agent = await SupportAgent.StartAsync(_provider.BaseUrl, CollectorUrl, _settings.Seed, IngestKey, cancellationToken).ConfigureAwait(false);
        await using (agent.ConfigureAwait(false))
        {
            var total = _settings.TotalCalls;
            var started = TimeProvider.System.GetTimestamp();
            using var gate = new SemaphoreSlim(MaxInFlight);
            var running = new List<Task>();
            for (long call = 0; call < total && !cancellationToken.IsCancellationRequested; call++)
            {
                var due = TimeSpan.FromSeconds(call / _settings.Rate) - TimeProvider.System.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }

                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                var number = call;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        var turn = await agent.ServeAsync(number, number / (double)total, cancellationToken).ConfigureAwait(false);
                        Interlocked.Increment(ref turn.Outcome == AgentOutcome.Failed ? ref _failed : ref _served);
                        if (turn.Degradation is not null)
                        {
                            Interlocked.Increment(ref _degraded);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, CancellationToken.None));
                running.RemoveAll(t => t.IsCompleted);
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    /// <summary>The health report of the whole run, as <c>GET /v1/report</c> gives it, once everything sent is stored.</summary>
    public async Task<HealthReport> ReportAsync(CancellationToken cancellationToken)
    {
        var services = _collector.Services;
        await services.GetRequiredService<IngestWriter>().SettleAsync(cancellationToken).ConfigureAwait(false);
        return services.GetRequiredService<ReportContributors>().AddTo(services.GetRequiredService<SignalPipeline>().ReportWindow());
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _collector.StopAsync(stop.Token).ConfigureAwait(false);
        await _collector.DisposeAsync().ConfigureAwait(false);
        await _provider.DisposeAsync().ConfigureAwait(false);
    }
}
