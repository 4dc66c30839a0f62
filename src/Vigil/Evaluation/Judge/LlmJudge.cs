using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Polly;
using Polly.Retry;
using Vigil.Classification;
using Vigil.Records;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// The seed's LLM-as-judge (§6) on any <see cref="IChatClient"/>: asks the judge model to score an interaction on
/// relevance, coherence, faithfulness (against the retrieved context when there is one), safety and overall (1–5),
/// flag a hallucination and give a short reasoning, as JSON only. The reply is validated strictly
/// (<see cref="JudgeReplyParser"/>); a reply that is not the rubric is a judge error, never a score. Calls are
/// retried with exponential backoff and jitter on 429, 5xx, timeouts and broken connections, honouring
/// Retry-After, each attempt under its own timeout; other errors (400, 401, 403, 404) fail at once.
/// Also an <see cref="IEvaluator"/> of Microsoft.Extensions.AI.Evaluation.
/// </summary>
public sealed class LlmJudge : IEvaluator
{
    private static readonly IReadOnlyCollection<string> MetricNames = [.. JudgeDimensions.Scores, JudgeDimensions.IsHallucination];

    private readonly IChatClient _chatClient;
    private readonly JudgeMetrics? _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates a judge.</summary>
    /// <param name="chatClient">The judge endpoint (see <see cref="JudgeEndpoint.CreateChatClient"/>); its own retries should be off.</param>
    /// <param name="options">The judge's options; validated here.</param>
    /// <param name="metrics">Where to record verdicts, errors and retries; null to record nothing.</param>
    /// <param name="timeProvider">The clock of timestamps, timeouts and retry waits; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ValidationException">An option is out of range.</exception>
    public LlmJudge(IChatClient chatClient, LlmJudgeOptions options, JudgeMetrics? metrics = null, TimeProvider? timeProvider = null)
    {
        _chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        Options = options;
        _metrics = metrics;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pipeline = BuildPipeline(options, metrics, _timeProvider);
    }

    /// <summary>The options.</summary>
    public LlmJudgeOptions Options { get; }

    /// <summary>The rubric: relevance, coherence, faithfulness, safety, overall (numeric, 1–5) and is_hallucination (boolean).</summary>
    public IReadOnlyCollection<string> EvaluationMetricNames => MetricNames;

    /// <summary>Judges an interaction that has a response.</summary>
    /// <exception cref="ArgumentException">The interaction has no response.</exception>
    public Task<JudgeResult> JudgeAsync(InteractionRecord interaction, CancellationToken cancellationToken = default) =>
        JudgeAsync(JudgeRequest.From(interaction), cancellationToken);

    /// <summary>Judges one interaction. Never throws for a failure of the judge: that is a <see cref="JudgeResult"/> with an error.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<JudgeResult> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.TraceId);
        ArgumentNullException.ThrowIfNull(request.Response);
        if (request.TraceId.Length > 128)
        {
            throw new ArgumentException("trace_id must be at most 128 characters", nameof(request));
        }

        return JudgeCoreAsync(_chatClient, request, cancellationToken);
    }

    /// <summary>
    /// Judges <paramref name="modelResponse"/> to <paramref name="messages"/> (the last user message is the question).
    /// The judge's chat client is <paramref name="chatConfiguration"/>'s when given, else the one this judge was made with.
    /// A <see cref="JudgeGroundingContext"/> in <paramref name="additionalContext"/> is the context faithfulness is judged against.
    /// Returns a <see cref="NumericMetric"/> per score, with the reasoning as its reason, and a <see cref="BooleanMetric"/>
    /// for the hallucination; a score of 2 or less, or a hallucination, is interpreted as failed. On a judge error every
    /// metric has no value, an error diagnostic with the reason, and is interpreted as inconclusive and failed.
    /// </summary>
    public async ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null, IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(modelResponse);
        var history = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var query = history.TryGetUserRequest(out var userRequest) ? userRequest.Text : history.RenderText().Trim();
        var request = new JudgeRequest
        {
            TraceId = modelResponse.ResponseId is { Length: > 0 and <= 128 } id ? id : "evaluation",
            Query = string.IsNullOrEmpty(query) ? null : query,
            Response = modelResponse.Text,
            Context = additionalContext?.OfType<JudgeGroundingContext>().FirstOrDefault()?.GroundingContext,
            Model = modelResponse.ModelId,
        };
        var result = await JudgeCoreAsync(chatConfiguration?.ChatClient ?? _chatClient, request, cancellationToken).ConfigureAwait(false);
        return ToEvaluationResult(result);
    }

    private async Task<JudgeResult> JudgeCoreAsync(IChatClient client, JudgeRequest request, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        List<ChatMessage> prompt = [new(ChatRole.User, JudgePrompts.Render(Options.Language, request.Query, request.Response, request.Context))];
        var attempts = 0;
        JudgeResult result;
        try
        {
            var response = await _pipeline.ExecuteAsync(async token =>
            {
                Interlocked.Increment(ref attempts);
                return await client.GetResponseAsync(prompt, CreateChatOptions(), token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);

            var duration = _timeProvider.GetElapsedTime(started);
            if (JudgeReplyParser.TryParse(response.Text, out var reply, out var problem))
            {
                result = JudgeResult.Verdict(ToRecord(request.TraceId, reply), reply, attempts, duration);
            }
            else
            {
                result = JudgeResult.Failure(new JudgeError(JudgeErrorKind.InvalidReply, problem), attempts, duration);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            result = JudgeResult.Failure(JudgeFailureClassifier.Classify(ex), Math.Max(1, attempts), _timeProvider.GetElapsedTime(started));
        }

        _metrics?.Record(result, request.Model);
        return result;
    }

    private ChatOptions CreateChatOptions() => new()
    {
        ModelId = Options.JudgeModel,
        Temperature = 0,
        MaxOutputTokens = Options.MaxOutputTokens,
        ResponseFormat = Options.RequestJsonFormat ? ChatResponseFormat.Json : null,
    };

    private EvaluationRecord ToRecord(string traceId, JudgeReply reply) => new()
    {
        TraceId = traceId,
        JudgeModel = Options.JudgeModel,
        Relevance = reply.Relevance,
        Coherence = reply.Coherence,
        Faithfulness = reply.Faithfulness,
        Safety = reply.Safety,
        Overall = reply.Overall,
        IsHallucination = reply.IsHallucination,
        Reasoning = reply.Reasoning,
        EvaluatedAt = _timeProvider.GetUtcNow(),
    };

    private EvaluationResult ToEvaluationResult(JudgeResult result)
    {
        var metrics = new List<EvaluationMetric>(MetricNames.Count);
        foreach (var name in JudgeDimensions.Scores)
        {
            var metric = new NumericMetric(name, result.Reply?.Score(name), result.Reply?.Reasoning);
            if (result.Reply is not null)
            {
                metric.Interpretation = InterpretScore(metric.Value!.Value);
            }

            metrics.Add(metric);
        }

        var hallucination = new BooleanMetric(JudgeDimensions.IsHallucination, result.Reply?.IsHallucination, result.Reply?.Reasoning);
        if (result.Reply is { } reply)
        {
            hallucination.Interpretation = reply.IsHallucination
                ? new EvaluationMetricInterpretation(EvaluationRating.Unacceptable, failed: true,
                    $"The judge found a hallucination ({Quality.HallucinationSeverities.Label(VerdictRules.SeverityOf(reply.Faithfulness))} severity).")
                : new EvaluationMetricInterpretation(EvaluationRating.Good, failed: false, "The judge found no hallucination.");
        }

        metrics.Add(hallucination);
        var evaluation = new EvaluationResult(metrics);
        evaluation.AddOrUpdateMetadataInAllMetrics("judge-model", Options.JudgeModel);
        evaluation.AddOrUpdateMetadataInAllMetrics("judge-attempts", result.Attempts.ToString(CultureInfo.InvariantCulture));
        evaluation.AddOrUpdateDurationMetadataInAllMetrics(result.Duration);
        if (!result.Succeeded)
        {
            evaluation.AddOrUpdateMetadataInAllMetrics("judge-error-reason", result.Error.Label);
            evaluation.AddDiagnosticsToAllMetrics(EvaluationDiagnostic.Error($"The LLM judge gave no verdict ({result.Error})."));
            evaluation.Interpret(_ => new EvaluationMetricInterpretation(EvaluationRating.Inconclusive, failed: true, "The LLM judge gave no verdict."));
        }

        return evaluation;
    }

    private static EvaluationMetricInterpretation InterpretScore(double score)
    {
        var rating = score switch
        {
            > 4 => EvaluationRating.Exceptional,
            > 3 => EvaluationRating.Good,
            > 2 => EvaluationRating.Average,
            > 1 => EvaluationRating.Poor,
            _ => EvaluationRating.Unacceptable,
        };
        var failed = VerdictRules.IsLowQuality(score);
        return new EvaluationMetricInterpretation(rating, failed,
            string.Create(CultureInfo.InvariantCulture, $"{score} of 5{(failed ? $": {VerdictRules.LowQualityMax} or less is low quality" : string.Empty)}."));
    }

    private static ResiliencePipeline BuildPipeline(LlmJudgeOptions options, JudgeMetrics? metrics, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && JudgeFailureClassifier.IsRetriable(ex)),
                DelayGenerator = args =>
                {
                    TimeSpan? wait = args.Outcome.Exception is { } ex && ErrorClassifier.RetryAfter(ex, timeProvider.GetUtcNow()) is { } asked
                        ? (asked < options.MaxRetryDelay ? asked : options.MaxRetryDelay)
                        : null; // null: the exponential backoff with jitter
                    return ValueTask.FromResult(wait);
                },
                OnRetry = args =>
                {
                    if (metrics is not null && args.Outcome.Exception is { } ex)
                    {
                        metrics.RecordRetry(JudgeFailureClassifier.Classify(ex).Label);
                    }

                    return default;
                },
            });
        }

        return builder.AddTimeout(options.Timeout).Build();
    }
}
