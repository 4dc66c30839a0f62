using System.Diagnostics;
using Microsoft.Extensions.AI;
using Vigil.Classification;
using Vigil.Records;
using Yarp.ReverseProxy.Forwarder;

namespace Vigil.Server.Gateway;

/// <summary>One call through the gateway: what the caller asked and labelled, and how it ended, made into the record.</summary>
internal sealed class GatewayCall
{
    private const int MaxLabelLength = 128;

    public required GatewayRequest Request { get; init; }

    public required bool Chat { get; init; }

    public required string TraceId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required long StartTimestamp { get; init; }

    public string? Feature { get; init; }

    public string? UserTier { get; init; }

    public string? UserId { get; init; }

    public string? Provider { get; init; }

    /// <summary>How the answer was produced under an incident mode.</summary>
    public Degradation Degradation { get; init; }

    public UpstreamAnswer Answer { get; } = new();

    /// <summary>Reads the labels of <paramref name="request"/>'s headers (each bounded; an over-long one is ignored).</summary>
    public static string? Header(HttpRequest request, string name)
    {
        var value = request.Headers[name].ToString().Trim();
        return value.Length is > 0 and <= MaxLabelLength ? value : null;
    }

    /// <summary>The interaction record of the call, classified by the same classifier as <c>UseVigil()</c>.</summary>
    public InteractionRecord ToRecord(int status, ForwarderError error, ErrorClassifier classifier, long endTimestamp)
    {
        var latencyMs = Stopwatch.GetElapsedTime(StartTimestamp, endTimestamp).TotalMilliseconds;
        double? ttftMs = Request.Stream && Answer.FirstTokenTimestamp is { } first
            ? Stopwatch.GetElapsedTime(StartTimestamp, first).TotalMilliseconds
            : null;
        var (outcome, type, httpStatus) = Classify(status, error, classifier);
        return new InteractionRecord
        {
            TraceId = TraceId,
            Timestamp = StartedAt,
            Model = Answer.Model ?? Request.Model!,
            Provider = Provider,
            Feature = Feature!, // null: the record's default
            UserTier = UserTier!,
            UserId = UserId ?? Request.User,
            Status = outcome,
            ErrorType = type,
            HttpStatus = httpStatus,
            LatencyMs = latencyMs,
            TtftMs = ttftMs,
            InputTokens = Answer.InputTokens,
            OutputTokens = Chat ? Answer.OutputTokens : null,
            CachedTokens = Answer.CachedTokens,
            Query = Request.Query,
            Response = Chat && Answer.Seen ? Answer.Text : null,
            Degradation = Degradation,
        };
    }

    /// <summary>The record of a call the gateway answered itself (a cached or static reply: <paramref name="text"/>; disabled: none, a 503).</summary>
    public InteractionRecord ToLocalRecord(string? text, long endTimestamp) => new()
    {
        TraceId = TraceId,
        Timestamp = StartedAt,
        Model = Request.Model!,
        Feature = Feature!,
        UserTier = UserTier!,
        UserId = UserId ?? Request.User,
        Status = text is null ? InteractionStatus.Error : InteractionStatus.Success,
        HttpStatus = text is null ? StatusCodes.Status503ServiceUnavailable : null,
        LatencyMs = Stopwatch.GetElapsedTime(StartTimestamp, endTimestamp).TotalMilliseconds,
        Query = Request.Query,
        Response = text,
        Degradation = Degradation,
    };

    private (InteractionStatus Outcome, ErrorType? Type, int? HttpStatus) Classify(int status, ForwarderError error, ErrorClassifier classifier)
    {
        if (error != ForwarderError.None)
        {
            // No answer from the upstream: it timed out, or could not be reached.
            return error == ForwarderError.RequestTimedOut
                ? (InteractionStatus.Error, ErrorType.Timeout, null)
                : (InteractionStatus.Error, ErrorType.ServerError, null);
        }

        if (status >= 400)
        {
            return (InteractionStatus.Error, ErrorClassifier.CategoryOfStatus(status), status);
        }

        if (!Chat)
        {
            return (InteractionStatus.Success, null, status);
        }

        var finish = Answer.FinishReason switch
        {
            null => (ChatFinishReason?)null,
            "stop" => ChatFinishReason.Stop,
            "length" => ChatFinishReason.Length,
            "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
            "content_filter" => ChatFinishReason.ContentFilter,
            var other => new ChatFinishReason(other),
        };
        var soft = classifier.ClassifyResponse(Answer.Text, finish, Request.JsonRequested && !Answer.Truncated, Answer.HasToolCalls,
            toolFailed: false, refused: Answer.FinishReason == "refusal");
        return (InteractionStatus.Success, soft?.Type, status);
    }
}
