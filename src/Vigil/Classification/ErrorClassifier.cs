using System.Collections.Concurrent;
using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Vigil.Configuration;
using Vigil.Records;

namespace Vigil.Classification;

/// <summary>
/// The seed's error classifier (§2): hard errors from the exceptions providers and HttpClient really throw,
/// soft errors from successful replies. The one place that maps an HTTP status to a category
/// (<see cref="CategoryOfStatus"/>), finds the status in an exception (<see cref="StatusOf"/>) and reads the wait a
/// server asked for (<see cref="RetryAfter"/>); the judge's failure classifier uses them too.
/// </summary>
public sealed class ErrorClassifier
{
    private static readonly string[] DefaultContextOverflowPhrases =
        ["context_length_exceeded", "maximum context length", "context length", "context window", "too many tokens",
         "prompt is too long", "input is too long", "reduce the length", "上下文"];

    private static readonly ConcurrentDictionary<Type, Func<Exception, int?>?> StatusReaders = new();

    // The longest wait a Retry-After is taken at (a longer one is cut to it): a guard against absurd values, not a policy.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    private static readonly ErrorClassification SafetyFilter = Soft(ErrorType.SafetyFilter, ErrorSeverity.High);
    private static readonly ErrorClassification ToolFailure = Soft(ErrorType.ToolFailure, ErrorSeverity.Medium);
    private static readonly ErrorClassification Refusal = Soft(ErrorType.Refusal, ErrorSeverity.Low);
    private static readonly ErrorClassification EmptyResponse = Soft(ErrorType.EmptyResponse, ErrorSeverity.Medium);
    private static readonly ErrorClassification FormatError = Soft(ErrorType.FormatError, ErrorSeverity.Medium);

    private readonly RefusalScanner _refusals;
    private readonly string[] _contextOverflowPhrases = DefaultContextOverflowPhrases;
    private readonly int _scanLength;
    private readonly int _minLength;

    /// <summary>Creates a classifier with <paramref name="options"/>' refusal phrases and minimum length.</summary>
    public ErrorClassifier(VigilOptions? options = null)
    {
        options ??= new VigilOptions();
        _refusals = new RefusalScanner(options.EffectiveRefusalPatterns);
        _scanLength = options.RefusalScanLength;
        _minLength = options.MinResponseLength;
    }

    /// <summary>True when <paramref name="exception"/> is the caller's own cancellation, which is no error of the provider.</summary>
    public static bool IsCallerCancellation(Exception exception, CancellationToken callerToken) =>
        exception is OperationCanceledException && callerToken.IsCancellationRequested;

    /// <summary>Classifies a failed call. Call <see cref="IsCallerCancellation"/> first: a caller's cancellation is not an error.</summary>
    public ErrorClassification ClassifyException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (StatusOf(exception) is { } code)
        {
            var category = code == 400 && MentionsContextOverflow(exception, _contextOverflowPhrases)
                ? ErrorType.ContextOverflow
                : CategoryOfStatus(code);
            return category switch
            {
                ErrorType.RateLimit => Hard(ErrorType.RateLimit, code, retriable: true, ErrorSeverity.Medium, RetryAfter(exception, DateTimeOffset.UtcNow)),
                ErrorType.AuthFailure => Hard(ErrorType.AuthFailure, code, retriable: false, ErrorSeverity.Critical),
                ErrorType.ContextOverflow => Hard(ErrorType.ContextOverflow, code, retriable: false, ErrorSeverity.Medium),
                ErrorType.Timeout => Hard(ErrorType.Timeout, code, retriable: true, ErrorSeverity.Medium),
                ErrorType.ServerError => Hard(ErrorType.ServerError, code, retriable: true, ErrorSeverity.High, RetryAfter(exception, DateTimeOffset.UtcNow)),
                _ => new ErrorClassification(null, ErrorKeys.LabelOf(InteractionStatus.Error, null), IsHard: true, code, IsRetriable: false, ErrorSeverity.Medium),
            };
        }

        if (IsTimeout(exception))
        {
            return Hard(ErrorType.Timeout, null, retriable: true, ErrorSeverity.Medium);
        }

        // The seed's fallback: anything else that kept a response from coming back.
        return Hard(ErrorType.ServerError, null, retriable: exception is HttpRequestException or IOException, ErrorSeverity.High);
    }

    /// <summary>The hard category of an HTTP status (seed §2); null for a status outside them (e.g. a plain 400).</summary>
    public static ErrorType? CategoryOfStatus(int status) => status switch
    {
        429 => ErrorType.RateLimit,
        401 or 403 => ErrorType.AuthFailure,
        413 => ErrorType.ContextOverflow,
        408 => ErrorType.Timeout,
        >= 500 => ErrorType.ServerError,
        _ => null,
    };

    /// <summary>
    /// The HTTP status a failed call's exception carries, looked for through its inner exceptions: the OpenAI SDK's
    /// <see cref="ClientResultException"/>, <see cref="HttpRequestException.StatusCode"/>, or a <c>StatusCode</c>,
    /// <c>Status</c> or <c>HttpStatusCode</c> property of another SDK's exception. Null when none holds a status (100–599).
    /// </summary>
    public static int? StatusOf(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var status = e switch
            {
                ClientResultException client when client.Status > 0 => client.Status,
                HttpRequestException { StatusCode: { } code } => (int)code,
                _ => StatusReaders.GetOrAdd(e.GetType(), CreateStatusReader)?.Invoke(e),
            };
            if (status is >= 100 and <= 599)
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>
    /// The wait the server asked for in the response behind <paramref name="exception"/> (or one of its inner
    /// exceptions): <c>retry-after-ms</c> when it sent one, else <c>Retry-After</c> in seconds or as an HTTP date,
    /// measured from <paramref name="now"/> (zero when the date has passed). At most a day; null when it asked for none.
    /// </summary>
    public static TimeSpan? RetryAfter(Exception exception, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ClientResultException client && client.GetRawResponse() is { } raw
                && ParseRetryAfter(Header(raw, "retry-after-ms"), Header(raw, "Retry-After"), now) is { } wait)
            {
                return wait;
            }
        }

        return null;

        static string? Header(System.ClientModel.Primitives.PipelineResponse response, string name) =>
            response.Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>
    /// <see cref="RetryAfter"/>'s reading of the two headers' values: <paramref name="milliseconds"/>
    /// (<c>retry-after-ms</c>) first, then <paramref name="retryAfter"/> in seconds or as an HTTP date.
    /// </summary>
    internal static TimeSpan? ParseRetryAfter(string? milliseconds, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(Math.Min(ms, MaxRetryAfter.TotalMilliseconds));
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryAfter.TotalSeconds));
        }

        if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - now;
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < MaxRetryAfter ? wait : MaxRetryAfter;
        }

        return null;
    }

    /// <summary>Classifies a successful reply; null when it carries no soft error.</summary>
    /// <param name="text">The reply's text (may be only its start when it is long).</param>
    /// <param name="finishReason">Why the model stopped.</param>
    /// <param name="jsonRequested">True when the call asked for JSON output.</param>
    /// <param name="hasToolCalls">True when the reply calls tools (then no text is expected).</param>
    /// <param name="toolFailed">True when a function result in the exchange carries an exception.</param>
    /// <param name="refused">True when the provider flagged the reply as a refusal (OpenAI's <c>refusal</c> field,
    /// which Microsoft.Extensions.AI surfaces as an <see cref="ErrorContent"/> with error code <c>Refusal</c>).</param>
    public ErrorClassification? ClassifyResponse(string? text, ChatFinishReason? finishReason, bool jsonRequested, bool hasToolCalls, bool toolFailed,
        bool refused = false) =>
        ClassifyResponse(text.AsSpan(), text, finishReason, jsonRequested, hasToolCalls, toolFailed, refused);

    /// <summary>
    /// <see cref="ClassifyResponse(string?, ChatFinishReason?, bool, bool, bool, bool)"/> over a span, for text that is
    /// not a string yet (a stream's buffer). <paramref name="textString"/> is the same text as a string when the caller has
    /// one; it is made from <paramref name="text"/> only when JSON has to be validated.
    /// </summary>
    internal ErrorClassification? ClassifyResponse(ReadOnlySpan<char> text, string? textString, ChatFinishReason? finishReason, bool jsonRequested,
        bool hasToolCalls, bool toolFailed, bool refused)
    {
        if (finishReason == ChatFinishReason.ContentFilter)
        {
            return SafetyFilter;
        }

        if (toolFailed)
        {
            return ToolFailure;
        }

        if (refused)
        {
            return Refusal;
        }

        if (hasToolCalls)
        {
            return null;
        }

        if (CountNonBlank(text, _minLength) < _minLength)
        {
            return EmptyResponse;
        }

        if (IsRefusal(text))
        {
            return Refusal;
        }

        if (jsonRequested && !IsJson(textString ?? text.ToString()))
        {
            return FormatError;
        }

        return null;
    }

    /// <summary>True when <paramref name="content"/> is a provider's refusal (OpenAI's <c>refusal</c> field, as Microsoft.Extensions.AI maps it).</summary>
    internal static bool IsRefusalContent(AIContent content) => content is ErrorContent { ErrorCode: "Refusal" };

    /// <summary>True when the start of <paramref name="text"/> holds a refusal phrase.</summary>
    public bool IsRefusal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsRefusal(text.AsSpan());
    }

    /// <summary>True when the start of <paramref name="text"/> (its first <c>RefusalScanLength</c> characters) holds a refusal phrase.</summary>
    internal bool IsRefusal(ReadOnlySpan<char> text) => _refusals.IsMatch(text[..Math.Min(text.Length, _scanLength)]);

    private static ErrorClassification Hard(ErrorType type, int? status, bool retriable, ErrorSeverity severity, TimeSpan? retryAfter = null) =>
        new(type, ErrorKeys.LabelOf(InteractionStatus.Error, type), IsHard: true, status, retriable, severity, retryAfter);

    private static ErrorClassification Soft(ErrorType type, ErrorSeverity severity) =>
        new(type, ErrorKeys.LabelOf(InteractionStatus.Success, type), IsHard: false, HttpStatus: null, IsRetriable: false, severity);

    private static int CountNonBlank(ReadOnlySpan<char> text, int enough)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && ++count >= enough)
            {
                break;
            }
        }

        return count;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool MentionsContextOverflow(Exception exception, string[] phrases)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message;
            if (e is ClientResultException { } client && client.GetRawResponse() is { } raw)
            {
                message += " " + SafeBody(raw);
            }

            if (phrases.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static string SafeBody(System.ClientModel.Primitives.PipelineResponse raw)
    {
        try
        {
            return raw.Content?.ToString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            return string.Empty;
        }
    }

    private static bool IsTimeout(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OperationCanceledException
                || e is SocketException { SocketErrorCode: SocketError.TimedOut }
                || e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } && e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut }
                || e.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("timed out", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Other SDKs' exceptions (Azure's RequestFailedException, Anthropic's, ...) carry the status as
    // an int or HttpStatusCode property named Status or StatusCode: the seed's getattr(e, "status_code").
    private static Func<Exception, int?>? CreateStatusReader(Type type)
    {
        foreach (var name in (string[])["StatusCode", "Status", "HttpStatusCode"])
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType == typeof(int) || propertyType == typeof(HttpStatusCode))
            {
                return e => property.GetValue(e) is { } value ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;
            }
        }

        return null;
    }
}
