namespace Vigil.Evaluation.Judge;

/// <summary>A judge error: what kind, what happened, and the HTTP status when there was one.</summary>
/// <param name="Kind">The kind of error.</param>
/// <param name="Message">What happened, for a person. Never holds the interaction's text or an API key.</param>
/// <param name="HttpStatus">The judge endpoint's HTTP status, when it answered with an error.</param>
public sealed record JudgeError(JudgeErrorKind Kind, string Message, int? HttpStatus = null)
{
    /// <summary>The <c>reason</c> label of <c>vigil_judge_errors_total</c>.</summary>
    public string Label => LabelOf(Kind);

    /// <summary>True when retrying the whole run cannot help: the key was refused, or the request is wrong for this endpoint.</summary>
    public bool IsFatal => Kind is JudgeErrorKind.AuthFailure || (Kind == JudgeErrorKind.BadRequest && HttpStatus == 404);

    /// <summary>The label of <paramref name="kind"/>.</summary>
    public static string LabelOf(JudgeErrorKind kind) => kind switch
    {
        JudgeErrorKind.InvalidReply => "invalid_reply",
        JudgeErrorKind.Timeout => "timeout",
        JudgeErrorKind.RateLimited => "rate_limit",
        JudgeErrorKind.ServerError => "server_error",
        JudgeErrorKind.AuthFailure => "auth_failure",
        JudgeErrorKind.BadRequest => "bad_request",
        JudgeErrorKind.Network => "network",
        JudgeErrorKind.ProtocolError => "protocol_error",
        _ => "unknown",
    };

    /// <inheritdoc />
    public override string ToString() => $"{Label}: {Message}";
}
