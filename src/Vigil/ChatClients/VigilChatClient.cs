using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
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
public sealed class VigilChatClient : DelegatingChatClient
{
    private const int TextCapForClassification = 1 << 20;
    private const int MaxCachedMetricPrices = 256;

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
    private readonly ConcurrentDictionary<string, MetricPrice> _metricPrices = new(StringComparer.Ordinal);
    private MetricPrice? _lastMetricPrice;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client to measure.</param>
    /// <param name="metrics">The instruments; <see cref="VigilMetrics.Shared"/> when null.</param>
    /// <param name="sink">Where records go; none when null.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="prices">Prices; the built-in catalog with <paramref name="options"/>' overrides when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    public VigilChatClient(IChatClient innerClient, VigilMetrics? metrics = null, IInteractionSink? sink = null,
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
        IsObserved ? GetObservedResponse(messages, options, cancellationToken) : base.GetResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        IsObserved ? GetObservedStreamingResponseAsync(messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    private Task<ChatResponse> GetObservedResponse(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var call = Begin(messages, options);
        Task<ChatResponse> pending;
        try
        {
            pending = base.GetResponseAsync(messages, options, cancellationToken);
        }
#pragma warning disable CA1031 // Not swallowed: the awaiting path below records it and rethrows it into the returned task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending = Task.FromException<ChatResponse>(ex);
        }

        if (pending is null || !pending.IsCompletedSuccessfully)
        {
            return GetObservedResponseAsync(call, pending!, cancellationToken);
        }

        // The inner client answered synchronously (a cache, a degraded path's static answer): record inline, without
        // an async state machine. The caller still gets a task of ours (not the inner one, which observed calls never
        // hand out), holding the same response; a failure of the recording itself still arrives in that task.
        var response = pending.Result;
        try
        {
            RecordResponse(ref call, response);
        }
#pragma warning disable CA1031 // Not swallowed: rethrown into the returned task, as the awaiting path would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return FaultedAsync(ex);
        }

        return Task.FromResult(response);
    }

    private async Task<ChatResponse> GetObservedResponseAsync(CallScope call, Task<ChatResponse> pending, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RecordFailure(ref call, ex, ttft: null, cancellationToken);
            throw;
        }

        RecordResponse(ref call, response);
        return response;
    }

    // An async method that throws hands the exception to its task (an OperationCanceledException cancels it): the same here.
    private static async Task<ChatResponse> FaultedAsync(Exception exception)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        ExceptionDispatchInfo.Throw(exception);
        return null!;
    }

    private void RecordResponse(ref CallScope call, ChatResponse response)
    {
        var elapsed = _time.GetElapsedTime(call.StartTimestamp);
        var text = response.Text;
        bool hasToolCalls = false, toolFailed = call.ToolFailedInRequest, refused = false;
        var messages = response.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                var content = contents[j];
                hasToolCalls |= content is FunctionCallContent;
                toolFailed |= content is FunctionResultContent { Exception: not null };
                refused |= ErrorClassifier.IsRefusalContent(content);
            }
        }

        call.TraceId ??= response.ResponseId;
        AdoptResponseModel(ref call, response.ModelId);
        call.Degradation = DegradationLabels.Parse(response.AdditionalProperties?.TryGetValue(VigilChatOptions.DegradationKey, out var mode) == true ? mode?.ToString() : null);
        var soft = _classifier.ClassifyResponse(text, response.FinishReason, call.JsonRequested, hasToolCalls, toolFailed, refused);
        RecordSuccess(ref call, elapsed, ttft: null, response.Usage, soft, text);
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
            RecordFailure(ref call, ex, ttft: null, cancellationToken);
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
                if (tracker.Observe(update))
                {
                    tracker.MarkToken(_time.GetTimestamp());
                }

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
                CompleteStream(ref call, ref tracker, completed, failure, cancellationToken);
            }
        }
    }

    private void CompleteStream(ref CallScope call, ref StreamTracker tracker, bool completed, Exception? failure, CancellationToken cancellationToken)
    {
        try
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
            AdoptResponseModel(ref call, tracker.ModelId);
            call.Degradation = DegradationLabels.Parse(tracker.Degradation);
            if (failure is not null)
            {
                RecordFailure(ref call, failure, ttft, cancellationToken);
                return;
            }

            // JSON cut at the cap cannot be judged; any other soft error is judged on the start.
            var jsonRequested = completed && call.JsonRequested && !tracker.TextTruncated;
            var textSpan = tracker.Text;
            var text = jsonRequested || (_options.CaptureContent && _sink.IsEnabled) ? textSpan.ToString() : null;
            var soft = completed
                ? _classifier.ClassifyResponse(textSpan, text, tracker.FinishReason, jsonRequested, tracker.HasToolCalls, tracker.ToolFailed || call.ToolFailedInRequest, tracker.Refused)
                : null;

            // A caller that stops reading early got what it wanted so far: a success, judged on nothing more.
            RecordSuccess(ref call, _time.GetElapsedTime(call.StartTimestamp, end), ttft, tracker.Usage, soft, text, stoppedEarly: !completed);
        }
        finally
        {
            tracker.ReleaseText();
        }
    }

    private CallScope Begin(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var requestedModel = options?.ModelId ?? _defaultModel;
        var model = requestedModel ?? "unknown";
        var feature = VigilChatOptions.Get(options, VigilChatOptions.FeatureKey) ?? _options.DefaultFeature;
        var tier = VigilChatOptions.Get(options, VigilChatOptions.UserTierKey) ?? _options.DefaultUserTier;
        var call = new CallScope
        {
            StartTimestamp = _time.GetTimestamp(),
            Model = model,
            ModelLabel = requestedModel is null ? model : _models.Apply(model),
            ModelFromResponse = requestedModel is null,
            Feature = feature,
            FeatureLabel = _features.Apply(feature),
            UserTier = tier,
            UserTierLabel = _tiers.Apply(tier),
            JsonRequested = options?.ResponseFormat is ChatResponseFormatJson,
            ToolFailedInRequest = TrailingToolFailed(messages),
            Options = options,
        };

        // What only the record uses is looked up only when a record will be made.
        if (_sink.IsEnabled)
        {
            call.Recorded = true;
            call.StartedAt = _time.GetUtcNow();
            call.UserId = VigilChatOptions.Get(options, VigilChatOptions.UserIdKey);
            call.TraceId = VigilChatOptions.Get(options, VigilChatOptions.TraceIdKey);
            if (_options.CaptureContent)
            {
                call.Query = LastUserText(messages);
                call.Context = VigilChatOptions.Get(options, VigilChatOptions.ContextKey);
            }
        }

        return call;
    }

    private void AdoptResponseModel(ref CallScope call, string? responseModel)
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

    private void RecordFailure(ref CallScope call, Exception exception, TimeSpan? ttft, CancellationToken cancellationToken)
    {
        if (ErrorClassifier.IsCallerCancellation(exception, cancellationToken))
        {
            if (call.ModelFromResponse)
            {
                AdoptResponseModel(ref call, null);
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
            AdoptResponseModel(ref call, null);
        }

        var elapsed = _time.GetElapsedTime(call.StartTimestamp);
        var error = _classifier.ClassifyException(exception);
        RecordCall(ref call, elapsed, ttft, WireNames.Status.Of(InteractionStatus.Error), error);
        Emit(ref call, elapsed, ttft, InteractionStatus.Error, error, usage: null, cost: null, text: null, stoppedEarly: false);
    }

    private void RecordSuccess(ref CallScope call, TimeSpan elapsed, TimeSpan? ttft, UsageDetails? usage, ErrorClassification? soft, string? text, bool stoppedEarly = false)
    {
        RecordCall(ref call, elapsed, ttft, WireNames.Status.Of(InteractionStatus.Success), soft);
        CostQuote? cost = null;
        if (usage is not null)
        {
            var input = usage.InputTokenCount ?? 0;
            var output = usage.OutputTokenCount ?? 0;
            var cached = usage.CachedInputTokenCount ?? 0;
            var model = new KeyValuePair<string, object?>(MetricTags.Model, call.ModelLabel);
            if (_metrics.Tokens.Enabled)
            {
                _metrics.Tokens.Add(input, model, new(MetricTags.TokenType, "input"));
                _metrics.Tokens.Add(output, model, new(MetricTags.TokenType, "output"));
                _metrics.Tokens.Add(cached, model, new(MetricTags.TokenType, "cached"));
            }

            double usd;
            bool unpriced;
            if (_sink.IsEnabled)
            {
                // The record keeps the exact decimal cost; the metric is that cost as a double.
                var quote = _prices.Quote(call.Model, input, output, cached);
                cost = quote;
                usd = (double)quote.Usd;
                unpriced = quote.IsFallbackPrice;
            }
            else if (_metrics.Cost.Enabled || _metrics.CostPerInteraction.Enabled || _metrics.UnpricedRequests.Enabled)
            {
                // No record: the metric's cost in double arithmetic from prices cached per model (the decimal quote
                // costs more than everything else a call records); equal to the decimal cost but for the last bits.
                var price = MetricPriceOf(call.Model);
                usd = price.Usd(input, output, cached);
                unpriced = !price.Known;
            }
            else
            {
                usd = 0;
                unpriced = false;
            }

            _metrics.Cost.Add(usd, model, new(MetricTags.Feature, call.FeatureLabel), new(MetricTags.UserTier, call.UserTierLabel));
            _metrics.CostPerInteraction.Record(usd, new KeyValuePair<string, object?>(MetricTags.Feature, call.FeatureLabel));
            if (unpriced)
            {
                _metrics.UnpricedRequests.Add(1, model);
            }
        }

        if (call.Degradation != Degradation.None && _metrics.DegradedResponses.Enabled)
        {
            _metrics.DegradedResponses.Add(1, new(MetricTags.Model, call.ModelLabel), new(MetricTags.Endpoint, call.FeatureLabel),
                new(MetricTags.Mode, DegradationLabels.Of(call.Degradation)));
        }

        Emit(ref call, elapsed, ttft, InteractionStatus.Success, soft, usage, cost, text, stoppedEarly);
    }

    private void RecordCall(ref CallScope call, TimeSpan elapsed, TimeSpan? ttft, string status, ErrorClassification? error)
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

    private void Emit(ref CallScope call, TimeSpan elapsed, TimeSpan? ttft, InteractionStatus status, ErrorClassification? error,
        UsageDetails? usage, CostQuote? cost, string? text, bool stoppedEarly)
    {
        if (!_sink.IsEnabled)
        {
            return;
        }

        if (!call.Recorded)
        {
            // The sink was enabled during the call: look up now what Begin skipped. Content was not captured.
            call.StartedAt = _time.GetUtcNow() - elapsed;
            call.UserId = VigilChatOptions.Get(call.Options, VigilChatOptions.UserIdKey);
            call.TraceId = VigilChatOptions.Get(call.Options, VigilChatOptions.TraceIdKey) ?? call.TraceId;
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

    private MetricPrice MetricPriceOf(string model)
    {
        if (_lastMetricPrice is { } last && string.Equals(last.Model, model, StringComparison.Ordinal))
        {
            return last;
        }

        if (!_metricPrices.TryGetValue(model, out var price))
        {
            var known = _prices.TryGetPrice(model, out var catalogPrice);
            price = new MetricPrice(model, catalogPrice, known);

            // Callers choose model ids: keep the cache bounded, whatever they send.
            if (_metricPrices.Count < MaxCachedMetricPrices)
            {
                _metricPrices.TryAdd(model, price);
            }
        }

        _lastMetricPrice = price;
        return price;
    }

    /// <summary>A model's prices as doubles, for the cost metric when no record (with its decimal cost) is made.</summary>
    private sealed class MetricPrice(string model, ModelPrice price, bool known)
    {
        private const double PerMillion = 1_000_000d;
        private readonly double _input = (double)price.Input;
        private readonly double _cachedInput = (double)(price.CachedInput ?? price.Input);
        private readonly double _output = (double)price.Output;

        public string Model { get; } = model;

        public bool Known { get; } = known;

        // The arithmetic of PriceCatalog.Quote, in double.
        public double Usd(long inputTokens, long outputTokens, long cachedInputTokens)
        {
            var cached = Math.Clamp(cachedInputTokens, 0, Math.Max(inputTokens, 0));
            var uncached = Math.Max(inputTokens, 0) - cached;
            return (uncached * _input + cached * _cachedInput + Math.Max(outputTokens, 0) * _output) / PerMillion;
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
            var contents = list[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (contents[j] is FunctionResultContent { Exception: not null })
                {
                    return true;
                }
            }
        }

        return false;
    }
}
