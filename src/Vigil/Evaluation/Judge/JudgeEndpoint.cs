using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Vigil.Evaluation.Judge;

/// <summary>
/// Builds the <see cref="IChatClient"/> of an OpenAI-compatible judge endpoint (OpenAI, Azure OpenAI's v1 API,
/// vLLM, Ollama, LM Studio, llama.cpp …) with the official OpenAI SDK. The SDK's own retries are off: the
/// judge retries through its Polly pipeline, which honours Retry-After and counts every retry.
/// </summary>
public static class JudgeEndpoint
{
    /// <summary>The SDK's network timeout; the judge's per-attempt timeout (<see cref="LlmJudgeOptions.Timeout"/>) is what limits a call.</summary>
    public static readonly TimeSpan DefaultNetworkTimeout = TimeSpan.FromMinutes(61);

    /// <summary>Creates the chat client.</summary>
    /// <param name="baseUrl">The API base, e.g. <c>http://127.0.0.1:8000/v1</c> or <c>https://api.openai.com/v1</c>; the client calls <c>{baseUrl}/chat/completions</c>.</param>
    /// <param name="model">The judge model.</param>
    /// <param name="apiKey">The API key, sent as a bearer token; null or empty to send none (local servers).</param>
    /// <param name="networkTimeout">The SDK's network timeout; <see cref="DefaultNetworkTimeout"/> when null.</param>
    public static IChatClient CreateChatClient(Uri baseUrl, string model, string? apiKey = null, TimeSpan? networkTimeout = null) =>
        CreateSdkChatClient(baseUrl, model, apiKey, networkTimeout).AsIChatClient();

    /// <summary>The OpenAI SDK's chat client behind <see cref="CreateChatClient"/>.</summary>
    public static ChatClient CreateSdkChatClient(Uri baseUrl, string model, string? apiKey = null, TimeSpan? networkTimeout = null)
    {
        ValidateBaseUrl(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(baseUrl.AbsoluteUri.TrimEnd('/')),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = networkTimeout ?? DefaultNetworkTimeout,
        };
        if (string.IsNullOrEmpty(apiKey))
        {
            options.AddPolicy(new NoAuthorizationHeaderPolicy(), PipelinePosition.BeforeTransport);
        }

        return new ChatClient(model, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? NoKey : apiKey), options);
    }

    /// <summary>Throws unless <paramref name="baseUrl"/> is an absolute http or https URL without credentials in it.</summary>
    public static void ValidateBaseUrl(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("the judge endpoint must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:8000/v1", nameof(baseUrl));
        }

        if (!string.IsNullOrEmpty(baseUrl.UserInfo))
        {
            throw new ArgumentException("the judge endpoint must not carry credentials; pass the API key through its environment variable", nameof(baseUrl));
        }
    }

    // The SDK insists on a credential; without a key its placeholder header is removed before sending:
    // a local server without keys needs none, and a made-up key would be sent for nothing.
    private const string NoKey = "no-key";

    private sealed class NoAuthorizationHeaderPolicy : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
