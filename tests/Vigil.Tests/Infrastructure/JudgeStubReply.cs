namespace Vigil.Tests.Infrastructure;

/// <summary>What the judge stub answers to one request.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Text">The reply's content (200) or the error's message.</param>
/// <param name="Delay">A wait before answering (a stall when longer than the client's timeout).</param>
/// <param name="RetryAfter">A Retry-After header value.</param>
/// <param name="RawBody">A 200 body sent as it is instead of a chat completion.</param>
public sealed record JudgeStubReply(int Status, string? Text, TimeSpan Delay = default, string? RetryAfter = null, string? RawBody = null)
{
    /// <summary>A chat completion whose content is <paramref name="text"/>.</summary>
    public static JudgeStubReply Content(string text) => new(200, text);

    /// <summary>An OpenAI error body with <paramref name="status"/>.</summary>
    public static JudgeStubReply Error(int status, string message = "stub error", string? retryAfter = null) => new(status, message, RetryAfter: retryAfter);

    /// <summary>Nothing for <paramref name="delay"/>, then a good verdict.</summary>
    public static JudgeStubReply Stall(TimeSpan delay) => new(200, JudgeStubServer.GoodVerdict, delay);
}
