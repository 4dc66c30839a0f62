using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vigil.Alerting;
using Vigil.Alerting.Notifications;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>
/// The notifiers as <c>AddVigilNotifiers()</c> registers them (options, named client, resilience handler, dispatcher),
/// on a <see cref="FakeTimeProvider"/>, posting to capture servers on loopback; every log entry and measurement kept.
/// Test defaults: retries from 1 s up to 10 s, attempts of 2 min (long beside the 1 s steps of <see cref="UntilAsync"/>,
/// so that no answer in flight times out), 10 min per notification.
/// </summary>
public sealed class NotificationHarness : IAsyncDisposable
{
    private readonly IsolatedMeterFactory _meters = new();

    public NotificationHarness(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Vigil:Alerting:Delivery:RetryDelay"] = "00:00:01",
            ["Vigil:Alerting:Delivery:MaxRetryDelay"] = "00:00:10",
            ["Vigil:Alerting:Delivery:AttemptTimeout"] = "00:02:00",
            ["Vigil:Alerting:Delivery:MaxDeliveryTime"] = "00:10:00",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build())
            .AddSingleton<IMeterFactory>(_meters)
            .AddSingleton<TimeProvider>(Time)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs))
            .AddVigilNotifiers();
        services.AddHttpClient(NotificationDispatcher.HttpClientName).AddHttpMessageHandler(Attempts.CreateHandler);
        Provider = services.BuildServiceProvider();
        Metrics = new MetricRecorder(Provider.GetRequiredService<VigilMetrics>().Meter);
    }

    /// <summary>The clock of retries, timeouts and shutdown waits.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public AllLogs Logs { get; } = new();

    /// <summary>The attempts the notifiers' client has in flight.</summary>
    public AttemptTracker Attempts { get; } = new();

    /// <summary>
    /// True when nothing moves but hanging requests: every server quiet, and every attempt in flight one that a server
    /// holds hanging (none connecting, none with an answer on its way).
    /// </summary>
    public bool IsQuiet(IReadOnlyList<CaptureServer> servers) =>
        servers.All(s => s.IsQuiet) && Attempts.InFlight == servers.Sum(s => s.Hanging);

    public ServiceProvider Provider { get; }

    public MetricRecorder Metrics { get; }

    /// <summary>The sink under test.</summary>
    public NotificationDispatcher Dispatcher => Provider.GetRequiredService<NotificationDispatcher>();

    /// <summary>The sink as the alert engine sees it.</summary>
    public IAlertStateChangeSink Sink => Provider.GetRequiredService<IAlertStateChangeSink>();

    /// <summary>vigil_notifications_total for <paramref name="notifier"/> and <paramref name="outcome"/>.</summary>
    public double Count(string notifier, string outcome) =>
        Metrics.Sum(MetricNames.Notifications, ("notifier", notifier), (MetricTags.Outcome, outcome));

    /// <summary>
    /// Waits (at most 10 s of real time) until <paramref name="condition"/> holds, moving the fake clock on by
    /// <paramref name="step"/> (default 1 s) whenever every server in <paramref name="servers"/> is quiet (answering
    /// nothing but hanging requests and no attempt of the client in transit), so that a retry's wait or a hanging attempt's timeout passes while no answer
    /// in flight can be overtaken by one.
    /// </summary>
    public async Task UntilAsync(Func<bool> condition, string what, IReadOnlyList<CaptureServer> servers, TimeSpan? step = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10),
                $"Timed out waiting until {what}; requests: {string.Join(", ", servers.Select(s => s.Requests.Count))}; logs:\n{Logs}");
            if (IsQuiet(servers))
            {
                Time.Advance(step ?? TimeSpan.FromSeconds(1));
            }

            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var stopping = Dispatcher.StopAsync();
        while (!stopping.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1)); // past any retry delay or shutdown wait
            await Task.Delay(2);
        }

        await stopping;
        await Provider.DisposeAsync();
        Metrics.Dispose();
        _meters.Dispose();
    }
}
