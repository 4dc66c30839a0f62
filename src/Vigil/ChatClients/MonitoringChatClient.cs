using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Vigil.Classification;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Sinks;

namespace Vigil.ChatClients;

/// <summary>
/// Measures every call through it (seed §1–§3): requests by status and error type, hard and soft errors,
/// latency, time to first token, time between tokens, tokens, cost; and hands one
/// <see cref="InteractionRecord"/> per call to an <see cref="IInteractionSink"/>. When nobody listens to the
/// <c>Vigil</c> meter and the sink keeps nothing, calls pass straight through.
/// </summary>
public sealed class MonitoringChatClient : DelegatingChatClient
{
    private const int TextCapForClassification = 1 << 20;

    private readonly VigilMetrics _metrics;
    private readonly IInteractionSink _sink;
    private readonly VigilOptions _options;
    private readonly PriceCatalog _prices;
    private readonly ErrorClassifier _classifier;
    private readonly TimeProvider _time;
    private readonly LabelGuard _models;
    private readonly LabelGuard _features;
    private readonly LabelGuard _tiers;
    private readonly string? _defaultModel;
    private readonly string? _provider;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client to measure.</param>
    /// <param name="metrics">The instruments; <see cref="VigilMetrics.Shared"/> when null.</param>
    /// <param name="sink">Where records go; none when null.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="prices">Prices; the built-in catalog with <paramref name="options"/>' overrides when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    public MonitoringChatClient(IChatClient innerClient, VigilMetrics? metrics = null, IInteractionSink? sink = null,
        VigilOptions? options = null, PriceCatalog? prices = null, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        _options = options ?? new VigilOptions();
        _metrics = metrics ?? VigilMetrics.Shared;
        _sink = sink ?? NullInteractionSink.Instance;
        _prices = prices ?? PriceCatalog.Default.With(_options.Prices.AsReadOnly(), _options.FallbackPrice);
        _classifier = new ErrorClassifier(_options);
        _time = timeProvider ?? TimeProvider.System;
        _models = new LabelGuard(MetricTags.Model, _options.Models, _options.MaxLabelValues, _metrics);
        _features = new LabelGuard(MetricTags.Feature, _options.Features, _options.MaxLabelValues, _metrics);
        _tiers = new LabelGuard(MetricTags.UserTier, _options.UserTiers, _options.MaxLabelValues, _metrics);
        var metadata = innerClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        _defaultModel = metadata?.DefaultModelId;
        _provider = _options.Provider ?? metadata?.ProviderName;
    }

    private bool IsObserved => _metrics.IsCallObserved || _sink.IsEnabled;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        IsObserved ? GetObservedResponseAsync(messages, options, cancellationToken) : base.GetResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        IsObserved ? GetObservedStreamingResponseAsync(messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    private async Task<ChatResponse> GetObservedResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var call = Begin(messages, options);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RecordFailure(call, ex, ttft: null, cancellationToken);
            throw;
        }

        var elapsed = _time.GetElapsedTime(call.StartTimestamp);
        var text = response.Text;
        bool hasToolCalls = false, toolFailed = call.ToolFailedInRequest, refused = false;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                hasToolCalls |= content is FunctionCallContent;
                toolFailed |= content is FunctionResultContent { Exception: not null };
                refused |= ErrorClassifier.IsRefusalContent(content);
            }
        }

        call.TraceId ??= response.ResponseId;
        AdoptResponseModel(call, response.ModelId);
        call.Degradation = ParseDegradation(response.AdditionalProperties?.TryGetValue(VigilChatOptions.DegradationKey, out var mode) == true ? mode?.ToString() : null);
        var soft = _classifier.ClassifyResponse(text, response.FinishReason, call.JsonRequested, hasToolCalls, toolFailed, refused);
        RecordSuccess(call, elapsed, ttft: null, response.Usage, soft, text);
        return response;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> GetObservedStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var call = Begin(messages, options);
        var tracker = new StreamTracker(call.JsonRequested || (_options.CaptureContent && _sink.IsEnabled)
            ? TextCapForClassification
            : Math.Max(_options.RefusalScanLength, _options.MinResponseLength));
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        try
        {
            enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex)
        {
            RecordFailure(call, ex, ttft: null, cancellationToken);
            throw;
        }

        var completed = false;
        Exception? failure = null;
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                    throw;
                }

                var update = enumerator.Current;
                tracker.Observe(update, _time.GetTimestamp());
                yield return update;
            }
        }
        finally
        {
            try
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                CompleteStream(call, tracker, completed, failure, cancellationToken);
            }
        }
    }

    private void CompleteStream(CallScope call, StreamTracker tracker, bool completed, Exception? failure, CancellationToken cancellationToken)
    {
        var end = _time.GetTimestamp();
        TimeSpan? ttft = tracker.TokenChunks > 0 ? _time.GetElapsedTime(call.StartTimestamp, tracker.FirstTokenTimestamp) : null;
        if (tracker.TokenChunks >= 2)
        {
            var streaming = _time.GetElapsedTime(tracker.FirstTokenTimestamp, tracker.LastTokenTimestamp).TotalSeconds;
            if (streaming > 0)
            {
                var model = new KeyValuePair<string, object?>(MetricTags.Model, call.ModelLabel);
                _metrics.TimeBetweenTokens.Record(streaming / (tracker.TokenChunks - 1), model);
                _metrics.TokensPerSecond.Record((tracker.TokenChunks - 1) / streaming, model);
            }
        }

        call.TraceId ??= tracker.ResponseId;
        AdoptResponseModel(call, tracker.ModelId);
        call.Degradation = ParseDegradation(tracker.Degradation);
        if (failure is not null)
        {
            RecordFailure(call, failure, ttft, cancellationToken);
            return;
        }

        var text = tracker.Text;
        ErrorClassification? soft = null;
        if (completed)
        {
            // JSON cut at the cap cannot be judged; any other soft error is judged on the start.
            var jsonRequested = call.JsonRequested && !tracker.TextTruncated;
            soft = _classifier.ClassifyResponse(text, tracker.FinishReason, jsonRequested, tracker.HasToolCalls, tracker.ToolFailed || call.ToolFailedInRequest, tracker.Refused);
        }

        // A caller that stops reading early got what it wanted so far: a success, judged on nothing more.
        RecordSuccess(call, _time.GetElapsedTime(call.StartTimestamp, end), ttft, tracker.Usage, soft, text, stoppedEarly: !completed);
    }

    private CallScope Begin(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var requestedModel = options?.ModelId ?? _defaultModel;
        var model = requestedModel ?? "unknown";
        var feature = VigilChatOptions.Get(options, VigilChatOptions.FeatureKey) ?? _options.DefaultFeature;
        var tier = VigilChatOptions.Get(options, VigilChatOptions.UserTierKey) ?? _options.DefaultUserTier;
        var capture = _options.CaptureContent && _sink.IsEnabled;
        return new CallScope
        {
            StartTimestamp = _time.GetTimestamp(),
            StartedAt = _time.GetUtcNow(),
            Model = model,
            ModelLabel = requestedModel is null ? model : _models.Apply(model),
            ModelFromResponse = requestedModel is null,
            Feature = feature,
            FeatureLabel = _features.Apply(feature),
            UserTier = tier,
            UserTierLabel = _tiers.Apply(tier),
            UserId = VigilChatOptions.Get(options, VigilChatOptions.UserIdKey),
            TraceId = VigilChatOptions.Get(options, VigilChatOptions.TraceIdKey),
            Query = capture ? LastUserText(messages) : null,
            Context = capture ? VigilChatOptions.Get(options, VigilChatOptions.ContextKey) : null,
            JsonRequested = options?.ResponseFormat is ChatResponseFormatJson,
            ToolFailedInRequest = TrailingToolFailed(messages),
        };
    }

    private void AdoptResponseModel(CallScope call, string? responseModel)
    {
        if (call.ModelFromResponse && !string.IsNullOrEmpty(responseModel))
        {
            call.Model = responseModel;
            call.ModelLabel = _models.Apply(responseModel);
        }
        else if (call.ModelFromResponse)
        {
            call.ModelLabel = _models.Apply(call.Model);
        }
    }

    private void RecordFailure(CallScope call, Exception exception, TimeSpan? ttft, CancellationToken cancellationToken)
    {
        if (ErrorClassifier.IsCallerCancellation(exception, cancellationToken))
        {
            if (call.ModelFromResponse)
            {
                AdoptResponseModel(call, null);
            }

            _metrics.CancelledRequests.Add(1, new(MetricTags.Model, call.ModelLabel), new(MetricTags.Endpoint, call.FeatureLabel));
            if (ttft is { } cancelledTtft)
            {
                _metrics.TimeToFirstToken.Record(cancelledTtft.TotalSeconds, new KeyValuePair<string, object?>(MetricTags.Model, call.ModelLabel));
            }

            return;
        }

        if (call.ModelFromResponse)
        {
            AdoptResponseModel(call, null);
        }

        var elapsed = _time.GetElapsedTime(call.StartTimestamp);
        var error = _classifier.ClassifyException(exception);
        RecordCall(call, elapsed, ttft, "error", error);
        Emit(call, elapsed, ttft, InteractionStatus.Error, error, usage: null, cost: null, text: null, stoppedEarly: false);
    }

    private void RecordSuccess(CallScope call, TimeSpan elapsed, TimeSpan? ttft, UsageDetails? usage, ErrorClassification? soft, string? text, bool stoppedEarly = false)
    {
        RecordCall(call, elapsed, ttft, "success", soft);
        CostQuote? cost = null;
        if (usage is not null)
        {
            var input = usage.InputTokenCount ?? 0;
            var output = usage.OutputTokenCount ?? 0;
            var cached = usage.CachedInputTokenCount ?? 0;
            var quote = _prices.Quote(call.Model, input, output, cached);
            cost = quote;
            var model = new KeyValuePair<string, object?>(MetricTags.Model, call.ModelLabel);
            if (_metrics.Tokens.Enabled)
            {
                _metrics.Tokens.Add(input, model, new(MetricTags.TokenType, "input"));
                _metrics.Tokens.Add(output, model, new(MetricTags.TokenType, "output"));
                _metrics.Tokens.Add(cached, model, new(MetricTags.TokenType, "cached"));
            }

            var usd = (double)quote.Usd;
            _metrics.Cost.Add(usd, model, new(MetricTags.Feature, call.FeatureLabel), new(MetricTags.UserTier, call.UserTierLabel));
            _metrics.CostPerInteraction.Record(usd, new KeyValuePair<string, object?>(MetricTags.Feature, call.FeatureLabel));
            if (quote.IsFallbackPrice)
            {
                _metrics.UnpricedRequests.Add(1, model);
            }
        }

        if (call.Degradation != Degradation.None && _metrics.DegradedResponses.Enabled)
        {
            _metrics.DegradedResponses.Add(1, new(MetricTags.Model, call.ModelLabel), new(MetricTags.Endpoint, call.FeatureLabel),
                new(MetricTags.Mode, DegradationLabel(call.Degradation)));
        }

        Emit(call, elapsed, ttft, InteractionStatus.Success, soft, usage, cost, text, stoppedEarly);
    }

    private void RecordCall(CallScope call, TimeSpan elapsed, TimeSpan? ttft, string status, ErrorClassification? error)
    {
        var errorLabel = error?.Label ?? ErrorLabels.None;
        if (_metrics.Requests.Enabled)
        {
            var tags = new TagList
            {
                { MetricTags.Model, call.ModelLabel },
                { MetricTags.Endpoint, call.FeatureLabel },
                { MetricTags.Status, status },
                { MetricTags.ErrorType, errorLabel },
            };
            _metrics.Requests.Add(1, tags);
        }

        if (error is not null && _metrics.Errors.Enabled)
        {
            _metrics.Errors.Add(1, new(MetricTags.Model, call.ModelLabel), new(MetricTags.ErrorType, errorLabel), new(MetricTags.ErrorCode, error.ErrorCode));
        }

        _metrics.RequestDuration.Record(elapsed.TotalSeconds, new(MetricTags.Model, call.ModelLabel), new(MetricTags.Endpoint, call.FeatureLabel));
        if (ttft is { } firstToken)
        {
            _metrics.TimeToFirstToken.Record(firstToken.TotalSeconds, new KeyValuePair<string, object?>(MetricTags.Model, call.ModelLabel));
        }
    }

    private void Emit(CallScope call, TimeSpan elapsed, TimeSpan? ttft, InteractionStatus status, ErrorClassification? error,
        UsageDetails? usage, CostQuote? cost, string? text, bool stoppedEarly)
    {
        if (!_sink.IsEnabled)
        {
            return;
        }

        var capture = _options.CaptureContent;
        var record = new InteractionRecord
        {
            TraceId = call.TraceId ?? Guid.NewGuid().ToString("N"),
            Timestamp = call.StartedAt,
            Model = call.Model,
            Provider = _provider,
            Feature = call.Feature,
            UserId = call.UserId,
            UserTier = call.UserTier,
            Status = status,
            ErrorType = error?.Type,
            HttpStatus = error?.HttpStatus,
            Degradation = call.Degradation,
            LatencyMs = elapsed.TotalMilliseconds,
            TtftMs = ttft?.TotalMilliseconds,
            InputTokens = usage?.InputTokenCount,
            OutputTokens = usage?.OutputTokenCount,
            CachedTokens = usage?.CachedInputTokenCount,
            CostUsd = cost?.Usd,
            Query = capture ? Truncate(call.Query) : null,
            Response = capture ? Truncate(text) : null,
            Context = capture ? Truncate(call.Context) : null,
            Attributes = stoppedEarly ? StoppedEarlyAttributes : null,
        };

        try
        {
            _sink.Emit(record);
        }
#pragma warning disable CA1031 // A broken sink must never fail the caller's LLM call.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static readonly IReadOnlyDictionary<string, string> StoppedEarlyAttributes =
        new Dictionary<string, string> { ["stream_stopped_early"] = "true" }.AsReadOnly();

    private static string? Truncate(string? text) => text is { Length: > 65536 } ? text[..65536] : text;

    private static string? LastUserText(IEnumerable<ChatMessage> messages)
    {
        string? last = null;
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                last = message.Text;
            }
        }

        return last;
    }

    // A function result that failed reaches the model in the tool messages at the end of the request.
    private static bool TrailingToolFailed(IEnumerable<ChatMessage> messages)
    {
        if (messages is not IList<ChatMessage> list)
        {
            return false;
        }

        for (var i = list.Count - 1; i >= 0 && list[i].Role == ChatRole.Tool; i--)
        {
            foreach (var content in list[i].Contents)
            {
                if (content is FunctionResultContent { Exception: not null })
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Degradation ParseDegradation(string? value) => value switch
    {
        "model_fallback" or nameof(Degradation.ModelFallback) => Degradation.ModelFallback,
        "cache_fallback" or nameof(Degradation.CacheFallback) => Degradation.CacheFallback,
        "default_response" or nameof(Degradation.DefaultResponse) => Degradation.DefaultResponse,
        _ => Degradation.None,
    };

    private static string DegradationLabel(Degradation degradation) => degradation switch
    {
        Degradation.ModelFallback => "model_fallback",
        Degradation.CacheFallback => "cache_fallback",
        Degradation.DefaultResponse => "default_response",
        _ => "none",
    };
}
