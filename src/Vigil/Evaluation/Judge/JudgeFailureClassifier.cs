using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Polly.Timeout;
using Vigil.Classification;
using Vigil.Records;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// Sorts a failed judge call: which <see cref="JudgeErrorKind"/> and whether a retry can help (429, 408, 5xx,
/// timeouts, broken connections). The HTTP status, its category and the wait the server asked for are
/// <see cref="ErrorClassifier"/>'s (<see cref="ErrorClassifier.StatusOf"/>, <see cref="ErrorClassifier.CategoryOfStatus"/>,
/// <see cref="ErrorClassifier.RetryAfter"/>), as for the calls Vigil watches; what is the judge's own is the kinds
/// without a status (network, protocol) and the messages.
/// </summary>
internal static class JudgeFailureClassifier
{
    private const int MaxServerMessageLength = 300;

    public static bool IsRetriable(Exception exception) => Classify(exception).Kind is
        JudgeErrorKind.RateLimited or JudgeErrorKind.ServerError or JudgeErrorKind.Timeout or JudgeErrorKind.Network;

    public static JudgeError Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TimeoutRejectedException timeout)
        {
            return new JudgeError(JudgeErrorKind.Timeout, $"no answer within {timeout.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }

        if (ErrorClassifier.StatusOf(exception) is { } status)
        {
            return FromStatus(status, exception is ClientResultException result ? ServerMessage(result) : null);
        }

        return exception switch
        {
            ClientResultException or HttpRequestException or SocketException or IOException =>
                new JudgeError(JudgeErrorKind.Network, $"the judge endpoint could not be reached: {OneLine(Innermost(exception).Message)}"),
            // Not the caller's cancellation (that is let through before we get here): a client-side timeout.
            TimeoutException or OperationCanceledException => new JudgeError(JudgeErrorKind.Timeout, "the judge call timed out"),
            JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException or NullReferenceException =>
                new JudgeError(JudgeErrorKind.ProtocolError, $"the endpoint's answer is not an OpenAI chat completion ({exception.GetType().Name})"),
            _ => new JudgeError(JudgeErrorKind.ProtocolError, $"the judge call failed ({exception.GetType().Name})"),
        };
    }

    private static JudgeError FromStatus(int status, string? serverMessage)
    {
        var kind = ErrorClassifier.CategoryOfStatus(status) switch
        {
            ErrorType.RateLimit => JudgeErrorKind.RateLimited,
            ErrorType.AuthFailure => JudgeErrorKind.AuthFailure,
            ErrorType.Timeout => JudgeErrorKind.Timeout,
            ErrorType.ServerError => JudgeErrorKind.ServerError,
            _ => JudgeErrorKind.BadRequest, // 413 (context overflow) too: the judge has no kind of its own for it
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
