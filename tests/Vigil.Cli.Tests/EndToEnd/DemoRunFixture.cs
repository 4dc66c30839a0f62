using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

using Vigil.Server.Tests.Infrastructure.Tools;
using Vigil.Tests.Alerting.Notifications;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// One run of <c>vigil demo</c> (the default five minutes at the default rate) watched by the real tools: a Prometheus
/// scraping it every 5 s with the shipped rule files, alerting an Alertmanager that notifies Vigil's
/// <c>POST /v1/alertmanager</c> and a capture webhook. While the demo runs it polls Prometheus's and Vigil's alerts every
/// few seconds and records what it saw; Prometheus stays up after the run so the tests can query it.
/// </summary>
/// <remarks>
/// The run cannot be shorter: the shipped <c>LLMSuccessRateCritical</c> needs its 5-minute ratio below 0.95 for 2
/// minutes before it fires, and the demo's outage (0.03–0.50 of the run) is timed for the default duration.
/// </remarks>
public sealed class DemoRunFixture : IAsyncLifetime
{
    /// <summary>The alert the demo's outage must raise.</summary>
    public const string AlertName = "LLMSuccessRateCritical";

    /// <summary>The contract's default <c>--duration</c>, which the run uses.</summary>
    public static readonly TimeSpan DemoDuration = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(5);

    // The demo prints its report and exits just after DemoDuration; past this it is killed.
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(90);

    // After the demo ended, how long the capture webhook may still take to get the resolved notification.
    private static readonly TimeSpan ResolvedGrace = TimeSpan.FromSeconds(40);

    private readonly List<AlertSighting> _prometheusSightings = [];
    private readonly SortedDictionary<string, List<AlertSighting>> _otherPrometheusAlerts = new(StringComparer.Ordinal);
    private readonly List<AlertSighting> _vigilSightings = [];
    private readonly List<string> _pollErrors = [];
    private CaptureServer? _capture;
    private AlertmanagerProcess? _alertmanager;
    private VigilProcess? _demo;

    private PrometheusProcess? _prometheus;
    private Task<DemoPageSighting>? _pageCheck;

    /// <summary>The Prometheus that watched the run, still up.</summary>
    public PrometheusProcess Prometheus => _prometheus ?? throw new InvalidOperationException("Prometheus did not start.");

    /// <summary>What the capture webhook received from Alertmanager.</summary>
    public IReadOnlyList<CapturedNotification> Notifications => CapturedNotification.Of(_capture);

    /// <summary>When the demo was launched.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>When the demo was seen ended (null: it had to be killed).</summary>
    public DateTimeOffset? ExitedAt { get; private set; }

    /// <summary>Its exit code (null: it had to be killed).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>What it wrote to stdout.</summary>
    public string Stdout { get; private set; } = string.Empty;

    /// <summary>What it wrote to stderr.</summary>
    public string Stderr { get; private set; } = string.Empty;

    /// <summary><see cref="AlertName"/> in Prometheus's <c>/api/v1/alerts</c>, one sighting per poll.</summary>
    public IReadOnlyList<AlertSighting> PrometheusSightings => _prometheusSightings;

    /// <summary><see cref="AlertName"/> in the demo's <c>GET /v1/alerts</c>, one sighting per entry per poll (source <c>vigil</c> or <c>alertmanager</c>).</summary>
    public IReadOnlyList<AlertSighting> VigilSightings => _vigilSightings;

    /// <summary>What Chromium saw on the demo's page while Vigil's engine had <see cref="AlertName"/> firing (null: never opened).</summary>
    public DemoPageSighting? PageSighting { get; private set; }

    /// <summary>Why the page could not be read, if it could not.</summary>
    public string? PageCheckError { get; private set; }

    /// <summary>Polls that failed (the first few), for messages.</summary>
    public IReadOnlyList<string> PollErrors => _pollErrors;

    /// <summary>
    /// When to query for data (seconds since the launch), when everything has happened while the demo still served:
    /// late in the firing of <see cref="AlertName"/> (so that <c>ALERTS</c> holds it), and at 0.9 of the run (after the
    /// hallucination and cost spikes); neither later than a few scrapes before the demo ended.
    /// </summary>
    public IReadOnlyList<double> DataInstants()
    {
        var scrape = ScrapeInterval.TotalSeconds;
        var last = ExitedAt is { } exited ? (exited - StartedAt).TotalSeconds - PollInterval.TotalSeconds - (2 * scrape) : double.MaxValue;
        var instants = new List<double>();
        if (_prometheusSightings.LastOrDefault(s => s.State == "firing") is { } firing)
        {
            instants.Add(Math.Min(firing.Seconds - scrape, last));
        }

        instants.Add(Math.Min(DemoDuration.TotalSeconds * 0.9, last));
        return [.. instants.Distinct()];
    }

    /// <summary>The instant <paramref name="seconds"/> after the launch.</summary>
    public DateTimeOffset At(double seconds) => StartedAt.AddSeconds(seconds);

    /// <summary>Everything recorded, for a failure message.</summary>
    public string Summary()
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"demo launched {StartedAt:O}; exited {(ExitedAt is { } at ? $"after {(at - StartedAt).TotalSeconds:0}s with {ExitCode}" : "never (killed)")}")
            .AppendLine(CultureInfo.InvariantCulture, $"Prometheus {AlertName}: {AlertSighting.Describe(_prometheusSightings)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Vigil /v1/alerts {AlertName} from its engine: {AlertSighting.Describe(_vigilSightings.Where(s => s.Source == "vigil"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"Vigil /v1/alerts {AlertName} from Alertmanager: {AlertSighting.Describe(_vigilSightings.Where(s => s.Source == "alertmanager"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"capture webhook: {Notifications.Count} notification(s): {string.Join("; ", Notifications.Select(n => $"{(n.ReceivedAt - StartedAt).TotalSeconds:0}s " + string.Join(",", n.Alerts.Select(a => $"{a.Name}={a.Status}"))))}");
        foreach (var (name, sightings) in _otherPrometheusAlerts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Prometheus {name} (another alert): {AlertSighting.Describe(sightings)}");
        }

        foreach (var error in _pollErrors)
        {
            text.AppendLine("poll error: " + error);
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        try
        {
            await RunAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task RunAsync()
    {
        _capture = await CaptureServer.StartAsync(() => DateTimeOffset.UtcNow, "/notifications");

        // The demo first (its port may have to be chosen again), then the tools pointed at it: a few seconds of the
        // run go unscraped, which no 5-minute window notices.
        _demo = await VigilProcess.StartAsync("demo", [], TimeSpan.FromSeconds(90));
        StartedAt = _demo.StartedAt;
        _alertmanager = await AlertmanagerProcess.StartAsync(
        [
            new("vigil", new Uri(_demo.Address, "v1/alertmanager")),
            new("capture", _capture.Url),
        ]);
        _prometheus = await PrometheusProcess.StartAsync(_demo.Address, RepositoryPaths.PrometheusRuleFiles, _alertmanager.Address, ScrapeInterval);

        await WatchAsync();
        Stdout = _demo.Process.Stdout;
        Stderr = _demo.Process.Stderr;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        // Each is stopped whatever became of the others, once.
        await DisposeQuietly(_prometheus);
        await DisposeQuietly(_alertmanager);
        await DisposeQuietly(_demo);
        await DisposeQuietly(_capture);
        (_prometheus, _alertmanager, _demo, _capture) = (null, null, null, null);
    }

    private static async Task DisposeQuietly(IAsyncDisposable? disposable)
    {
        if (disposable is null)
        {
            return;
        }

        try
        {
            await disposable.DisposeAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or IOException)
        {
            // Already gone; the others are still stopped.
        }
    }

    private async Task WatchAsync()
    {
        var demo = _demo!;
        var killAt = StartedAt + DemoDuration + ExitGrace;
        while (true)
        {
            var now = DateTimeOffset.UtcNow;
            var seconds = (now - StartedAt).TotalSeconds;
            if (ExitedAt is null && demo.Process.HasExited)
            {
                await demo.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                ExitedAt = now;
                ExitCode = demo.Process.ExitCode;
            }

            await PollPrometheusAsync(seconds);
            if (ExitedAt is null)
            {
                await PollVigilAsync(demo, seconds);

                // The page in the browser once the engine fires the alert, beside the polling (it takes a few refreshes).
                if (_pageCheck is null && _vigilSightings.Any(s => s.Source == "vigil" && s.State == "firing"))
                {
                    _pageCheck = DemoPageCheck.RunAsync(demo.Address, AlertName, CancellationToken.None);
                }
            }

            if (_pageCheck is { IsCompleted: true } && PageSighting is null && PageCheckError is null)
            {
                await CollectPageCheckAsync();
            }

            if (ExitedAt is { } exited && (ResolvedNotified() || now - exited > ResolvedGrace))
            {
                await CollectPageCheckAsync();
                return;
            }

            if (ExitedAt is null && now > killAt)
            {
                _pollErrors.Add($"the demo still ran {(now - StartedAt).TotalSeconds:0}s after its launch: killed");
                await demo.Process.KillAsync();
                await CollectPageCheckAsync();
                return;
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The strongest of the states one poll listed for an alert: firing, pending, or inactive when none.</summary>
    private static string StateOf(IEnumerable<string> states)
    {
        var list = states.ToList();
        return list.Contains("firing") ? "firing" : list.Contains("pending") ? "pending" : "inactive";
    }

    private bool ResolvedNotified() =>
        Notifications.Any(n => n.Alerts.Any(a => a.Name == AlertName && a.Status == "resolved"));

    private async Task PollPrometheusAsync(double seconds)
    {
        try
        {
            var alerts = await Prometheus.AlertsAsync();
            _prometheusSightings.Add(new(seconds, StateOf(alerts.Where(a => a.Name == AlertName).Select(a => a.State)), "prometheus"));

            // The others, for the message when the one expected does not come.
            foreach (var name in alerts.Select(a => a.Name).Where(name => name != AlertName))
            {
                _otherPrometheusAlerts.TryAdd(name, []);
            }

            foreach (var (name, sightings) in _otherPrometheusAlerts)
            {
                sightings.Add(new(seconds, StateOf(alerts.Where(a => a.Name == name).Select(a => a.State)), "prometheus"));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            NoteError($"{seconds:0}s Prometheus /api/v1/alerts: {ex.Message}");
        }
    }

    private async Task CollectPageCheckAsync()
    {
        if (_pageCheck is null || PageSighting is not null || PageCheckError is not null)
        {
            return;
        }

        try
        {
            PageSighting = await _pageCheck;
        }
        catch (Exception ex) when (ex is Microsoft.Playwright.PlaywrightException or TimeoutException or InvalidOperationException)
        {
            PageCheckError = ex.ToString();
        }
    }

    private async Task PollVigilAsync(VigilProcess demo, double seconds)
    {
        try
        {
            using var response = await demo.Client.GetAsync(new Uri("v1/alerts", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                NoteError($"{seconds:0}s Vigil /v1/alerts: {(int)response.StatusCode} {text}");
                return;
            }

            var alerts = (JsonNode.Parse(text)?["alerts"] as JsonArray ?? [])
                .OfType<JsonNode>()
                .Where(alert => alert["name"]?.GetValue<string>() == AlertName)
                .ToList();
            foreach (var odd in alerts.Select(SourceOf).Where(source => source is not ("vigil" or "alertmanager")))
            {
                NoteError($"{seconds:0}s Vigil /v1/alerts {AlertName}: {odd}");
            }

            foreach (var source in (string[])["vigil", "alertmanager"])
            {
                var states = alerts.Where(alert => SourceOf(alert) == source).Select(alert => alert["state"]?.GetValue<string>() ?? "?");
                _vigilSightings.Add(new(seconds, StateOf(states), source));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            NoteError($"{seconds:0}s Vigil /v1/alerts: {ex.Message}");
        }
    }

    /// <summary>
    /// Who raised an alert of Vigil's <c>GET /v1/alerts</c>: its <c>source</c> (<c>vigil</c> for Vigil's own engine,
    /// <c>alertmanager</c> for one received at <c>POST /v1/alertmanager</c>), checked against the external label the
    /// test's Prometheus adds to what it sends.
    /// </summary>
    public static string SourceOf(JsonNode alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var labelled = alert["labels"]?[PrometheusProcess.ExternalLabel.Key]?.GetValue<string>() == PrometheusProcess.ExternalLabel.Value;
        var source = alert["source"]?.GetValue<string>() ?? "?";
        return (source, labelled) switch
        {
            ("alertmanager", true) => "alertmanager",
            ("vigil", false) => "vigil",
            _ => $"inconsistent: source {source}, {(labelled ? "with" : "without")} Prometheus's external label",
        };
    }

    private void NoteError(string error)
    {
        if (_pollErrors.Count < 20)
        {
            _pollErrors.Add(error);
        }
    }
}
