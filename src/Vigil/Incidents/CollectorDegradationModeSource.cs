using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Sinks;

namespace Vigil.Incidents;

/// <summary>
/// The mode of a collector's responder: polls <c>GET {Vigil:Collector:Endpoint}/v1/incident</c> (with
/// <c>Vigil:Collector:ApiKey</c>) every <see cref="DegradationOptions.PollInterval"/>. <see cref="Mode"/> is the last
/// mode the collector gave, so a chat call never waits on the collector, and an unreachable collector leaves the last
/// known mode in force (normal until the first answer). Runs only with <c>Vigil:Degradation:Source</c> = <c>collector</c>.
/// </summary>
public sealed partial class CollectorDegradationModeSource : BackgroundService, IDegradationModeSource
{
    /// <summary>The name of its <see cref="HttpClient"/>.</summary>
    public const string HttpClientName = "vigil-incident-mode";

    private readonly CollectorOptions _collector;
    private readonly DegradationOptions _options;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile int _mode;
    private bool _failing;

    /// <summary>Creates the source.</summary>
    public CollectorDegradationModeSource(CollectorOptions collector, DegradationOptions options, IHttpClientFactory clients,
        TimeProvider? timeProvider = null, ILogger<CollectorDegradationModeSource>? logger = null)
    {
        _collector = collector ?? throw new ArgumentNullException(nameof(collector));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<CollectorDegradationModeSource>.Instance;
    }

    /// <inheritdoc />
    public DegradationMode Mode => (DegradationMode)_mode;

    /// <summary>When the collector last answered with a mode; null before.</summary>
    public DateTimeOffset? LastAnswer { get; private set; }

    /// <summary>Asks the collector once and keeps its mode; on any failure the last known mode stays.</summary>
    /// <returns>True when the collector answered with a mode.</returns>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        if (_collector.EndpointUri is not { } endpoint)
        {
            return false;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromTicks(Math.Max(_options.PollInterval.Ticks, TimeSpan.FromSeconds(2).Ticks)));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "v1/incident"));
            if (!string.IsNullOrWhiteSpace(_collector.ApiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _collector.ApiKey.Trim());
            }

            using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Failed($"HTTP {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("mode", out var mode)
                || mode.ValueKind != JsonValueKind.String
                || !IncidentLabels.TryParse(mode.GetString(), out var parsed))
            {
                return Failed("the answer has no known 'mode'");
            }

            _mode = (int)parsed;
            LastAnswer = _time.GetUtcNow();
            if (_failing)
            {
                _failing = false;
                LogRecovered(_logger, parsed);
            }

            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Failed(ex.GetType().Name);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Source != DegradationSource.Collector)
        {
            return;
        }

        if (_collector.EndpointUri is null)
        {
            LogNoEndpoint(_logger);
            return;
        }

        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        try
        {
            do
            {
                await PollOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private bool Failed(string why)
    {
        if (!_failing)
        {
            _failing = true;
            LogUnreachable(_logger, why, Mode); // the endpoint may carry credentials: not logged
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The collector's incident mode could not be read ({Why}); the last known mode '{Mode}' stays in force.")]
    private static partial void LogUnreachable(ILogger logger, string why, DegradationMode mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "The collector's incident mode is read again: '{Mode}'.")]
    private static partial void LogRecovered(ILogger logger, DegradationMode mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil:Degradation:Source is 'collector' but Vigil:Collector:Endpoint is not set: the mode stays normal.")]
    private static partial void LogNoEndpoint(ILogger logger);
}
