using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Polly.Timeout;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// Sorts a failed judge call: which <see cref="JudgeErrorKind"/>, whether a retry can help (429, 408, 5xx, timeouts,
/// broken connections) and how long the server asked to wait (<c>retry-after-ms</c>, <c>Retry-After</c> in seconds
/// or as an HTTP date). Works with the OpenAI SDK's <see cref="ClientResultException"/> and the
/// <see cref="HttpRequestException"/> of other <c>IChatClient</c>s.
/// </summary>
internal static class JudgeFailureClassifier
{
    private const int MaxServerMessageLength = 300;

    public static bool IsRetriable(Exception exception) => Classify(exception).Kind is
        JudgeErrorKind.RateLimited or JudgeErrorKind.ServerError or JudgeErrorKind.Timeout or JudgeErrorKind.Network;

    public static JudgeError Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case TimeoutRejectedException timeout:
                return new JudgeError(JudgeErrorKind.Timeout, $"no answer within {timeout.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
            case ClientResultException { Status: > 0 } result:
                return FromStatus(result.Status, ServerMessage(result));
            case ClientResultException result:
                return new JudgeError(JudgeErrorKind.Network, $"the judge endpoint could not be reached: {OneLine(Innermost(result).Message)}");
            case HttpRequestException { StatusCode: { } status }:
                return FromStatus((int)status, null);
            case HttpRequestException or SocketException or IOException:
                return new JudgeError(JudgeErrorKind.Network, $"the judge endpoint could not be reached: {OneLine(Innermost(exception).Message)}");
            case TimeoutException or OperationCanceledException:
                // Not the caller's cancellation (that is let through before we get here): a client-side timeout.
                return new JudgeError(JudgeErrorKind.Timeout, "the judge call timed out");
            case JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException or NullReferenceException:
                return new JudgeError(JudgeErrorKind.ProtocolError, $"the endpoint's answer is not an OpenAI chat completion ({exception.GetType().Name})");
            default:
                return new JudgeError(JudgeErrorKind.ProtocolError, $"the judge call failed ({exception.GetType().Name})");
        }
    }

    /// <summary>The wait the server asked for, when it said one.</summary>
    public static TimeSpan? RetryAfter(Exception exception, DateTimeOffset now)
    {
        if (exception is not ClientResultException result || result.GetRawResponse() is not { } response)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && double.IsFinite(milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(Math.Min(milliseconds, TimeSpan.FromHours(1).TotalMilliseconds));
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromHours(1).TotalSeconds));
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static JudgeError FromStatus(int status, string? serverMessage)
    {
        var kind = status switch
        {
            429 => JudgeErrorKind.RateLimited,
            401 or 403 => JudgeErrorKind.AuthFailure,
            408 => JudgeErrorKind.Timeout,
            >= 500 => JudgeErrorKind.ServerError,
            _ => JudgeErrorKind.BadRequest,
        };
        var message = kind == JudgeErrorKind.AuthFailure
            ? $"HTTP {status}: the judge endpoint refused the API key" // the server's text may quote the key
            : serverMessage is null ? $"HTTP {status}" : $"HTTP {status}: {serverMessage}";
        return new JudgeError(kind, message, status);
    }

    // The OpenAI error body's message ({"error": {"message": ..}}), shortened; null when there is none.
    private static string? ServerMessage(ClientResultException exception)
    {
        try
        {
            var content = exception.GetRawResponse()?.Content;
            if (content is null || content.ToMemory().Length == 0)
            {
                return null;
            }

            using var document = JsonDocument.Parse(content.ToMemory());
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                var text = message.GetString()!.ReplaceLineEndings(" ");
                return text.Length <= MaxServerMessageLength ? text : text[..MaxServerMessageLength] + "…";
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return null;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
