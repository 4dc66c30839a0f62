using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Vigil.Classification;
using Vigil.Configuration;
using Vigil.Incidents;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Server.Apis;
using Vigil.Server.Content;
using Vigil.Server.Hosting;
using Vigil.Server.Ingest;
using Vigil.Signals;
using Yarp.ReverseProxy.Forwarder;

namespace Vigil.Server.Gateway;

/// <summary>
/// The gateway's one job per call: check the caller's key, read the body (bounded), forward it with YARP's
/// <see cref="IHttpForwarder"/> to the upstream (streaming answers pass chunk by chunk), watch the answer as it passes,
/// and record the call through the collector's ingest path, the same pipeline <c>UseVigil()</c> feeds.
/// </summary>
internal sealed partial class GatewayForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly GatewayOptions _options;
    private readonly VigilServerOptions _server;
    private readonly ErrorClassifier _classifier;
    private readonly SignalPipeline _pipeline;
    private readonly ContentRedactor _redactor;
    private readonly IngestWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayForwarder> _logger;
    private readonly GatewayTransformer _chat;
    private readonly GatewayTransformer _embeddings;
    private readonly ForwarderRequestConfig _config;
    private readonly byte[][] _keys;
    private readonly GatewayDegradation _degradation;
    private readonly Histogram<double> _overhead;
    private readonly MetricCatalogWriter _catalog;

    public GatewayForwarder(IHttpForwarder forwarder, IOptions<GatewayOptions> options, IOptions<VigilServerOptions> server, IOptions<VigilOptions> vigil,
        SignalPipeline pipeline, ContentRedactor redactor, IngestWriter writer, TimeProvider time, ILogger<GatewayForwarder> logger,
        GatewayDegradation degradation, VigilMetrics metrics, MetricCatalogWriter catalog)
    {
        _catalog = catalog;
        _degradation = degradation;
        _overhead = metrics.Meter.CreateHistogram(MetricNames.GatewayOverhead, "s",
            "The gateway's own time per call: request in to upstream request out, plus upstream answer in to answer out (first byte when streamed).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.GatewayOverhead });
        _forwarder = forwarder;
        _options = options.Value;
        _server = server.Value;
        _classifier = new ErrorClassifier(vigil.Value);
        _pipeline = pipeline;
        _redactor = redactor;
        _writer = writer;
        _time = time;
        _logger = logger;
        var key = string.IsNullOrWhiteSpace(_options.ApiKey) ? null : _options.ApiKey.Trim();
        _chat = new GatewayTransformer("/chat/completions", key);
        _embeddings = new GatewayTransformer("/embeddings", key);
        _keys = [.. _options.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Encoding.UTF8.GetBytes(k.Trim()))];
        _config = new ForwarderRequestConfig { ActivityTimeout = _options.ActivityTimeout };
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
        });
    }

    /// <summary>Handles <c>POST /v1/chat/completions</c> (<paramref name="chat"/>) or <c>POST /v1/embeddings</c>.</summary>
    public async Task HandleAsync(HttpContext context, bool chat)
    {
        var startTimestamp = Stopwatch.GetTimestamp();
        var startedAt = _time.GetUtcNow();
        var request = context.Request;
        if (_keys.Length > 0 && !HasGatewayKey(request))
        {
            await Problem(context, StatusCodes.Status401Unauthorized, "Gateway key required", _options.ApiKey is { Length: > 0 }
                ? "This gateway holds the provider key: send one of its gateway keys (VIGIL_GATEWAY_KEYS) as 'Authorization: Bearer <key>'."
                : $"This gateway needs one of its gateway keys (VIGIL_GATEWAY_KEYS) in the '{GatewayHeaders.GatewayKey}' header; 'Authorization' carries your provider key.").ConfigureAwait(false);
            return;
        }

        byte[] bytes;
        using (var body = await RequestBody.ReadAsync(request, _server.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false))
        {
            if (body is null)
            {
                await Problem(context, StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body is larger than {_server.MaxBodyBytes} bytes.").ConfigureAwait(false);
                return;
            }

            bytes = body.Span.ToArray();
        }

        var parsed = GatewayRequest.Parse(bytes, chat, out var error);
        if (parsed is null)
        {
            await Problem(context, StatusCodes.Status400BadRequest, "Invalid request", error!).ConfigureAwait(false);
            return;
        }

        // Under an incident mode: embeddings pass unless all is disabled; chat calls are degraded.
        var mode = _degradation.Mode;
        if (!chat && mode != DegradationMode.Disabled)
        {
            mode = DegradationMode.Normal;
        }

        var degradation = Degradation.None;
        string? cacheKey = null;
        string? localAnswer = null;
        switch (mode)
        {
            case DegradationMode.Disabled:
                degradation = Degradation.DefaultResponse;
                break;
            case DegradationMode.StaticResponse:
                degradation = Degradation.DefaultResponse;
                localAnswer = _degradation.StaticReplyFor(request);
                break;
            case DegradationMode.CachedOnly:
                localAnswer = await _degradation.ReadAsync(parsed.CacheKey!, context.RequestAborted).ConfigureAwait(false);
                degradation = localAnswer is null ? Degradation.DefaultResponse : Degradation.CacheFallback;
                localAnswer ??= _degradation.StaticReplyFor(request);
                break;
            case DegradationMode.FallbackModel when _degradation.Options.FallbackModelId is { Length: > 0 } fallback:
                parsed = parsed.WithModel(fallback);
                degradation = Degradation.ModelFallback;
                break;
            case DegradationMode.FallbackModel:
                degradation = Degradation.DefaultResponse;
                localAnswer = _degradation.StaticReplyFor(request);
                break;
            default:
                cacheKey = _degradation.Options.WriteThrough ? parsed.CacheKey : null;
                break;
        }

        var upstream = _options.UpstreamFor(parsed.Model);
        var call = new GatewayCall
        {
            Request = parsed,
            Chat = chat,
            TraceId = GatewayCall.Header(request, GatewayHeaders.TraceId) ?? Guid.NewGuid().ToString("N"),
            StartedAt = startedAt,
            StartTimestamp = startTimestamp,
            Feature = GatewayCall.Header(request, GatewayHeaders.Feature),
            UserTier = GatewayCall.Header(request, GatewayHeaders.UserTier),
            UserId = GatewayCall.Header(request, GatewayHeaders.UserId),
            Provider = ProviderOf(upstream),
            Degradation = degradation,
        };

        if (mode == DegradationMode.Disabled || localAnswer is not null)
        {
            context.Response.Headers[GatewayHeaders.TraceId] = call.TraceId;
            if (localAnswer is null)
            {
                await Problem(context, StatusCodes.Status503ServiceUnavailable, "Disabled",
                    "The assistant is disabled during an incident (degradation mode 'disabled'); try again later.").ConfigureAwait(false);
            }
            else
            {
                await _degradation.AnswerAsync(context.Response, parsed, localAnswer, IncidentLabels.Of(mode), context.RequestAborted).ConfigureAwait(false);
            }

            Record(call.ToLocalRecord(localAnswer, Stopwatch.GetTimestamp()));
            return;
        }

        request.Body = new MemoryStream(parsed.Body, writable: false);
        request.ContentLength = parsed.Body.Length;
        context.Response.Headers[GatewayHeaders.TraceId] = call.TraceId;
        var original = context.Response.Body;
        var response = context.Response;
        var timing = new GatewayTiming(startTimestamp);
        context.Features.Set(timing);
        var observer = new AnswerObservingStream(original, call.Answer, parsed.AddedUsage,
            () => response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true, timing);
        context.Response.Body = observer;
        ForwarderError outcome;
        try
        {
            outcome = await _forwarder.SendAsync(context, upstream, _client, _config, chat ? _chat : _embeddings).ConfigureAwait(false);
            if (outcome == ForwarderError.None)
            {
                await observer.CompleteAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            context.Response.Body = original;
        }

        if (outcome is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient || context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: no answer anyone saw, and not the provider's fault.
            LogCallerGone(call.TraceId);
            return;
        }

        if (outcome != ForwarderError.None)
        {
            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            LogUpstreamFailed(outcome, new Uri(upstream).Host, exception?.GetType().Name ?? "none");
        }

        var end = Stopwatch.GetTimestamp();
        if (timing.Overhead(parsed.Stream, end) is { } overhead)
        {
            _overhead.Record(overhead.TotalSeconds);
        }

        var record = call.ToRecord(context.Response.StatusCode, outcome, _classifier, end);
        Record(record);
        if (call.Answer.FirstTokenTimestamp is { } first)
        {
            _catalog.WriteStreamPace(_catalog.ModelLabel(record.Model), Stopwatch.GetElapsedTime(first, call.Answer.LastTokenTimestamp), call.Answer.TokenChunks);
        }
        if (cacheKey is not null && record.IsGood && call.Answer.Seen && !call.Answer.Truncated && !call.Answer.HasToolCalls)
        {
            _ = _degradation.WriteAsync(cacheKey, call.Answer.Text);
        }
    }

    public void Dispose() => _client.Dispose();

    // The record goes through the ingest path as a posted one does; the caller's answer is not held for the commit.
    private void Record(InteractionRecord record)
    {
        var prepared = _redactor.Apply(_pipeline.Normalizer.Normalize(record));
        _ = _writer.WriteAsync([prepared], null, CancellationToken.None).ContinueWith(
            (t, state) => ((GatewayForwarder)state!).LogRecordFailed(t.Exception!.GetBaseException().GetType().Name),
            this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // The gateway key: in its own header, or (when Vigil holds the provider key) as the bearer token or X-Api-Key.
    private bool HasGatewayKey(HttpRequest request)
    {
        var presented = request.Headers[GatewayHeaders.GatewayKey].ToString().Trim();
        if (presented.Length == 0 && _options.ApiKey is { Length: > 0 })
        {
            var authorization = request.Headers.Authorization.ToString();
            presented = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? authorization["Bearer ".Length..].Trim()
                : request.Headers["X-Api-Key"].ToString().Trim();
        }

        if (presented.Length == 0)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(bytes, key);
        }

        return match;
    }

    private static string? ProviderOf(string upstream)
    {
        var host = new Uri(upstream).Host;
        return host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase) ? "openai"
            : host.EndsWith("openai.azure.com", StringComparison.OrdinalIgnoreCase) ? "azure_openai"
            : null;
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Gateway call {TraceId}: the caller went away before the answer was complete; not recorded.")]
    private partial void LogCallerGone(string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway: the upstream {Host} gave no answer ({Error}, {Exception}).")]
    private partial void LogUpstreamFailed(ForwarderError error, string host, string exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gateway: a call's record could not be stored ({Exception}).")]
    private partial void LogRecordFailed(string exception);
}
