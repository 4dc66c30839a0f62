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

    private readonly MetricCatalogWriter _writer;
    private readonly VigilMetrics _metrics;
    private readonly IInteractionSink _sink;
    private readonly VigilOptions _options;
    private readonly PriceCatalog _prices;
    private readonly ErrorClassifier _classifier;
    private readonly TimeProvider _time;
    private readonly string? _defaultModel;
    private readonly string? _provider;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client to measure.</param>
    /// <param name="metrics">The instruments; <see cref="VigilMetrics.Shared"/> when null.</param>
    /// <param name="sink">Where records go; none when null.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="prices">Prices; the built-in catalog with <paramref name="options"/>' overrides when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <param name="writer">The metric catalog's writer (shared with the in-process pipeline); one over <paramref name="metrics"/> when null.</param>
    public VigilChatClient(IChatClient innerClient, VigilMetrics? metrics = null, IInteractionSink? sink = null,
        VigilOptions? options = null, PriceCatalog? prices = null, TimeProvider? timeProvider = null, MetricCatalogWriter? writer = null)
        : base(innerClient)
    {
        _options = options ?? new VigilOptions();
        _writer = writer ?? new MetricCatalogWriter(metrics ?? VigilMetrics.Shared, _options);
        _metrics = _writer.Metrics;
        _sink = sink ?? NullInteractionSink.Instance;
        _prices = prices ?? PriceCatalog.Default.With(_options.Prices.AsReadOnly(), _options.FallbackPrice);
        _classifier = new ErrorClassifier(_options);
        _time = timeProvider ?? TimeProvider.System;
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
        AdoptFallbackModel(ref call, response.ModelId);
        VigilChatOptions.ReadCache(response.AdditionalProperties, ref call.Cache, ref call.CacheType);
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
                _writer.WriteStreamPace(call.ModelLabel, _time.GetElapsedTime(tracker.FirstTokenTimestamp, tracker.LastTokenTimestamp), tracker.TokenChunks);
            }

            call.TraceId ??= tracker.ResponseId;
            AdoptResponseModel(ref call, tracker.ModelId);
            call.Degradation = DegradationLabels.Parse(tracker.Degradation);
            AdoptFallbackModel(ref call, tracker.ModelId);
            call.Cache = tracker.Cache;
            call.CacheType = tracker.CacheType;
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
            ModelLabel = requestedModel is null ? model : _writer.ModelLabel(model),
            ModelFromResponse = requestedModel is null,
            Feature = feature,
            FeatureLabel = _writer.FeatureLabel(feature),
            UserTier = tier,
            UserTierLabel = _writer.UserTierLabel(tier),
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

    // A fallback model's answer or failure is recorded against the model that gave it.
    private void AdoptFallbackModel(ref CallScope call, string? fallbackModel)
    {
        if (call.Degradation == Degradation.ModelFallback && !string.IsNullOrEmpty(fallbackModel) && fallbackModel != call.Model)
        {
            call.Model = fallbackModel;
            call.ModelLabel = _writer.ModelLabel(fallbackModel);
            call.ModelFromResponse = false;
        }
    }

    private void AdoptResponseModel(ref CallScope call, string? responseModel)
    {
        if (call.ModelFromResponse && !string.IsNullOrEmpty(responseModel))
        {
            call.Model = responseModel;
            call.ModelLabel = _writer.ModelLabel(responseModel);
        }
        else if (call.ModelFromResponse)
        {
            call.ModelLabel = _writer.ModelLabel(call.Model);
        }
    }

    private void RecordFailure(ref CallScope call, Exception exception, TimeSpan? ttft, CancellationToken cancellationToken)
    {
        // A degraded call that failed (the fallback model's error) says so on the exception: it is recorded as degraded,
        // against the model that failed, so the responder does not read it as the primary model's failure.
        if (DegradedFailure.Read(exception) is { } degraded)
        {
            call.Degradation = degraded.Degradation;
            AdoptFallbackModel(ref call, degraded.Model);
        }

        if (call.ModelFromResponse)
        {
            AdoptResponseModel(ref call, null);
        }

        if (ErrorClassifier.IsCallerCancellation(exception, cancellationToken))
        {
            _metrics.CancelledRequests.Add(1, new(MetricTags.Model, call.ModelLabel), new(MetricTags.Endpoint, call.FeatureLabel));
            if (ttft is { } cancelledTtft)
            {
                _metrics.TimeToFirstToken.Record(cancelledTtft.TotalSeconds, new KeyValuePair<string, object?>(MetricTags.Model, call.ModelLabel));
            }

            return;
        }

        var error = _classifier.ClassifyException(exception);
        var figures = Figures(ref call, _time.GetElapsedTime(call.StartTimestamp), ttft, InteractionStatus.Error, error);
        _writer.Write(in figures, call.ModelLabel, call.FeatureLabel, call.UserTierLabel);
        Emit(ref call, in figures, text: null, stoppedEarly: false);
    }

    private void RecordSuccess(ref CallScope call, TimeSpan elapsed, TimeSpan? ttft, UsageDetails? usage, ErrorClassification? soft, string? text, bool stoppedEarly = false)
    {
        var figures = Figures(ref call, elapsed, ttft, InteractionStatus.Success, soft);
        var unpriced = false;
        if (usage is not null)
        {
            figures.InputTokens = usage.InputTokenCount;
            figures.OutputTokens = usage.OutputTokenCount;
            figures.CachedTokens = usage.CachedInputTokenCount;
            if (_sink.IsEnabled || _metrics.Cost.Enabled || _metrics.CostPerInteraction.Enabled || _metrics.UnpricedRequests.Enabled)
            {
                var quote = _prices.Quote(call.Model, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0);
                figures.CostUsd = quote.Usd;
                unpriced = quote.IsFallbackPrice;
            }
        }

        _writer.Write(in figures, call.ModelLabel, call.FeatureLabel, call.UserTierLabel, unpriced);
        Emit(ref call, in figures, text, stoppedEarly);
    }

    private static InteractionFigures Figures(ref CallScope call, TimeSpan elapsed, TimeSpan? ttft, InteractionStatus status, ErrorClassification? error) => new()
    {
        Model = call.Model,
        Feature = call.Feature,
        UserTier = call.UserTier,
        Status = status,
        ErrorType = error?.Type,
        HttpStatus = error?.HttpStatus,
        Degradation = call.Degradation,
        Cache = call.Cache,
        CacheType = call.CacheType,
        LatencyMs = elapsed.TotalMilliseconds,
        TtftMs = ttft?.TotalMilliseconds,
    };

    private void Emit(ref CallScope call, in InteractionFigures figures, string? text, bool stoppedEarly)
    {
        if (!_sink.IsEnabled)
        {
            return;
        }

        if (!call.Recorded)
        {
            // The sink was enabled during the call: look up now what Begin skipped. Content was not captured.
            call.StartedAt = _time.GetUtcNow() - TimeSpan.FromMilliseconds(figures.LatencyMs);
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
            Status = figures.Status,
            ErrorType = figures.ErrorType,
            HttpStatus = figures.HttpStatus,
            Degradation = call.Degradation,
            LatencyMs = figures.LatencyMs,
            TtftMs = figures.TtftMs,
            InputTokens = figures.InputTokens,
            OutputTokens = figures.OutputTokens,
            CachedTokens = figures.CachedTokens,
            CostUsd = figures.CostUsd,
            Cache = figures.Cache,
            CacheType = figures.CacheType,
            Query = capture ? Truncate(call.Query) : null,
            Response = capture ? Truncate(text) : null,
            Context = capture ? Truncate(call.Context) : null,
            Attributes = Attributes(VigilChatOptions.GetAttributes(call.Options), stoppedEarly),
            Embedding = VigilChatOptions.GetEmbedding(call.Options),
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

    private static IReadOnlyDictionary<string, string>? Attributes(IReadOnlyDictionary<string, string>? given, bool stoppedEarly)
    {
        if (!stoppedEarly || given is null)
        {
            return stoppedEarly ? StoppedEarlyAttributes : given;
        }

        var merged = given.ToDictionary(p => p.Key, p => p.Value);
        merged["stream_stopped_early"] = "true";
        return merged;
    }

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
