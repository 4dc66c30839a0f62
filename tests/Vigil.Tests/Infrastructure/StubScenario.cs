namespace Vigil.Tests.Infrastructure;

/// <summary>What <see cref="OpenAiStubServer"/> answers to one request.</summary>
public enum StubScenario
{
    /// <summary>A normal reply with usage (prompt, completion and cached tokens).</summary>
    Normal,

    /// <summary>429 with a Retry-After header and an OpenAI error body.</summary>
    RateLimited,

    /// <summary>401 invalid_api_key.</summary>
    Unauthorized,

    /// <summary>500 server_error.</summary>
    ServerError,

    /// <summary>400 context_length_exceeded.</summary>
    ContextLengthExceeded,

    /// <summary>A partial reply stopped with finish_reason content_filter.</summary>
    ContentFilter,

    /// <summary>"I cannot help with that request."</summary>
    Refusal,

    /// <summary>"抱歉,我不能回答这个问题".</summary>
    ChineseRefusal,

    /// <summary>No content, and the refusal in the message's <c>refusal</c> field (structured outputs).</summary>
    StructuredRefusal,

    /// <summary>An empty reply.</summary>
    Empty,

    /// <summary>Broken JSON; the request must ask for response_format json_object.</summary>
    MalformedJson,

    /// <summary>Valid JSON; the request must ask for response_format json_object.</summary>
    ValidJson,

    /// <summary>Some of the reply, then the connection is aborted.</summary>
    BrokenStream,

    /// <summary>Nothing for <see cref="OpenAiStubServer.SlowDelay"/>, then a normal reply.</summary>
    Slow,

    /// <summary>Streamed: the first text chunk, then nothing for <see cref="OpenAiStubServer.SlowDelay"/>. Not streamed: as <see cref="Slow"/>.</summary>
    StallingStream,
}
