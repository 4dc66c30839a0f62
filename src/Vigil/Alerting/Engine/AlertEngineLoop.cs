using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vigil.Alerting.Engine;

/// <summary>
/// Runs the engine: once the host has started (the collector has restored its window, so the history is rebuilt),
/// takes back the saved alert states, then evaluates every <see cref="AlertEngineOptions.EvaluationInterval"/> and
/// saves the states when they change.
/// </summary>
public sealed partial class AlertEngineLoop(
    AlertEngine engine, AlertEngineOptions options, TimeProvider time, IAlertStateStore? store = null,
    IHostApplicationLifetime? lifetime = null, ILogger<AlertEngineLoop>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = logger ?? NullLogger<AlertEngineLoop>.Instance;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        if (lifetime is not null)
        {
            await WaitAsync(lifetime.ApplicationStarted, stoppingToken).ConfigureAwait(false);
        }

        if (store is not null)
        {
            try
            {
                engine.Restore(await store.LoadAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLoadFailed(_logger, ex);
            }
        }

        using var timer = new PeriodicTimer(options.EvaluationInterval, time);
        do
        {
            await RoundAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One round: evaluate, and save the states if they changed.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken = default)
    {
        if (!engine.Evaluate() || store is null)
        {
            return;
        }

        try
        {
            await store.SaveAsync(engine.Snapshot(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSaveFailed(_logger, ex);
        }
    }

    private static Task WaitAsync(CancellationToken started, CancellationToken stopping)
    {
        if (started.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        started.Register(() => done.TrySetResult());
        stopping.Register(() => done.TrySetCanceled(stopping));
        return done.Task;
    }

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "The saved alert states could not be loaded; alerts start inactive.")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "The alert states could not be saved.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception);
}
