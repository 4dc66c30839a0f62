namespace Vigil.Evaluation.Judge;

/// <summary>Why the judge gave no verdict. Each has a fixed label (<see cref="JudgeError.Label"/>) for <c>vigil_judge_errors_total</c>.</summary>
public enum JudgeErrorKind
{
    /// <summary>The judge answered, but not with the rubric's JSON (<c>invalid_reply</c>). Never retried, never turned into a score.</summary>
    InvalidReply,

    /// <summary>No answer within the per-attempt timeout, on the last attempt (<c>timeout</c>).</summary>
    Timeout,

    /// <summary>429 on the last attempt (<c>rate_limit</c>).</summary>
    RateLimited,

    /// <summary>5xx on the last attempt (<c>server_error</c>).</summary>
    ServerError,

    /// <summary>401 or 403: the API key was refused (<c>auth_failure</c>). Not retried.</summary>
    AuthFailure,

    /// <summary>Another 4xx, e.g. 400 or 404 (<c>bad_request</c>). Not retried.</summary>
    BadRequest,

    /// <summary>The endpoint could not be reached or the connection broke (<c>network</c>).</summary>
    Network,

    /// <summary>The endpoint answered 200 with something that is not a chat completion (<c>protocol_error</c>). Not retried.</summary>
    ProtocolError,
}
