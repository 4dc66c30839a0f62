using System.ClientModel;
using System.Net;
using Microsoft.Extensions.AI;
using Vigil.Classification;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Classification;

/// <summary>The classifier on what the official SDK and HttpClient really throw and return.</summary>
public sealed class ErrorClassifierTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    private readonly ErrorClassifier _classifier = new();

    [Fact]
    public async Task ClassifyException_SdkRateLimitWithRetryAfter_IsRetriableMediumRateLimitWithRetryAfter()
    {
        var exception = await SdkExceptionAsync(StubScenario.RateLimited);

        var error = _classifier.ClassifyException(exception);

        Assert.Equal(ErrorType.RateLimit, error.Type);
        Assert.Equal("rate_limit", error.Label);
        Assert.True(error.IsHard);
        Assert.Equal(429, error.HttpStatus);
        Assert.Equal("429", error.ErrorCode);
        Assert.True(error.IsRetriable);
        Assert.Equal(ErrorSeverity.Medium, error.Severity);
        Assert.Equal(TimeSpan.FromSeconds(OpenAiStubServer.RetryAfterSeconds), error.RetryAfter);
    }

    [Theory]
    [InlineData(StubScenario.Unauthorized, ErrorType.AuthFailure, 401, false, ErrorSeverity.Critical)]
    [InlineData(StubScenario.ServerError, ErrorType.ServerError, 500, true, ErrorSeverity.High)]
    [InlineData(StubScenario.ContextLengthExceeded, ErrorType.ContextOverflow, 400, false, ErrorSeverity.Medium)]
    public async Task ClassifyException_SdkHttpError_MapsToCategorySeverityAndRetriability(
        StubScenario scenario, ErrorType type, int status, bool retriable, ErrorSeverity severity)
    {
        var exception = await SdkExceptionAsync(scenario);

        var error = _classifier.ClassifyException(exception);

        Assert.Equal(type, error.Type);
        Assert.Equal(status, error.HttpStatus);
        Assert.Equal(retriable, error.IsRetriable);
        Assert.Equal(severity, error.Severity);
        Assert.True(error.IsHard);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task ClassifyException_SdkNetworkTimeout_IsRetriableTimeoutWithoutStatus()
    {
        var client = stub.CreateSdkChatClient(StubScenario.Slow, networkTimeout: TimeSpan.FromMilliseconds(200));
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => client.CompleteChatAsync("Hello"));

        Assert.False(ErrorClassifier.IsCallerCancellation(exception, CancellationToken.None));
        var error = _classifier.ClassifyException(exception);

        Assert.Equal(ErrorType.Timeout, error.Type);
        Assert.Null(error.HttpStatus);
        Assert.Equal("0", error.ErrorCode);
        Assert.True(error.IsRetriable);
    }

    [Fact]
    public void ClassifyException_PlainBadRequest_IsHardBadRequestWithoutCategory()
    {
        var error = _classifier.ClassifyException(new HttpRequestException("Bad request", null, HttpStatusCode.BadRequest));

        Assert.Null(error.Type);
        Assert.Equal(ErrorLabels.BadRequest, error.Label);
        Assert.True(error.IsHard);
        Assert.Equal(400, error.HttpStatus);
        Assert.False(error.IsRetriable);
    }

    [Fact]
    public void ClassifyException_ConnectionRefused_IsRetriableServerError()
    {
        var error = _classifier.ClassifyException(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)"));

        Assert.Equal(ErrorType.ServerError, error.Type);
        Assert.Null(error.HttpStatus);
        Assert.True(error.IsRetriable);
        Assert.Equal(ErrorSeverity.High, error.Severity);
    }

    [Fact]
    public void StatusOf_StatusInAnInnerException_IsFound()
    {
        var wrapped = new InvalidOperationException("call failed", new HttpRequestException("Too many requests", null, HttpStatusCode.TooManyRequests));

        Assert.Equal(429, ErrorClassifier.StatusOf(wrapped));
        Assert.Null(ErrorClassifier.StatusOf(new IOException("connection reset")));
    }

    [Theory]
    [InlineData(429, ErrorType.RateLimit)]
    [InlineData(401, ErrorType.AuthFailure)]
    [InlineData(403, ErrorType.AuthFailure)]
    [InlineData(413, ErrorType.ContextOverflow)]
    [InlineData(408, ErrorType.Timeout)]
    [InlineData(500, ErrorType.ServerError)]
    [InlineData(503, ErrorType.ServerError)]
    [InlineData(400, null)]
    [InlineData(404, null)]
    public void CategoryOfStatus_Status_IsTheSeedsCategory(int status, ErrorType? expected) =>
        Assert.Equal(expected, ErrorClassifier.CategoryOfStatus(status));

    [Theory]
    [InlineData(null, "7", 7_000)]
    [InlineData(null, "0.5", 500)]
    [InlineData("1500", "7", 1_500)] // retry-after-ms, the finer one, first
    [InlineData("soon", "7", 7_000)] // a retry-after-ms that is no number is passed over
    [InlineData(null, "999999999", 86_400_000)] // cut to a day
    public void ParseRetryAfter_Seconds_IsTheWait(string? milliseconds, string retryAfter, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ErrorClassifier.ParseRetryAfter(milliseconds, retryAfter, DateTimeOffset.UnixEpoch));

    [Fact]
    public void ParseRetryAfter_HttpDate_IsTheWaitFromNowAndZeroOncePassed()
    {
        var now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(90), ErrorClassifier.ParseRetryAfter(null, "Fri, 20 Nov 2026 12:01:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, ErrorClassifier.ParseRetryAfter(null, "Fri, 20 Nov 2026 11:59:00 GMT", now));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, " ")]
    [InlineData(null, "-3")]
    [InlineData(null, "NaN")]
    [InlineData(null, "later")]
    public void ParseRetryAfter_NoUsableValue_IsNull(string? milliseconds, string? retryAfter) =>
        Assert.Null(ErrorClassifier.ParseRetryAfter(milliseconds, retryAfter, DateTimeOffset.UnixEpoch));

    [Fact]
    public void IsCallerCancellation_CancelledTokenAndOperationCanceled_IsTrue()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.True(ErrorClassifier.IsCallerCancellation(new TaskCanceledException(), cancellation.Token));
        Assert.False(ErrorClassifier.IsCallerCancellation(new TaskCanceledException(), CancellationToken.None));
        Assert.False(ErrorClassifier.IsCallerCancellation(new IOException(), cancellation.Token));
    }

    [Theory]
    [InlineData("I cannot help with that request.", ErrorType.Refusal)]
    [InlineData("抱歉,我不能回答这个问题", ErrorType.Refusal)]
    [InlineData("抱歉，我不能回答这个问题", ErrorType.Refusal)]
    [InlineData("", ErrorType.EmptyResponse)]
    [InlineData("   \n  ok  ", ErrorType.EmptyResponse)]
    public void ClassifyResponse_SoftErrorText_IsSoftCategory(string text, ErrorType expected)
    {
        var error = _classifier.ClassifyResponse(text, ChatFinishReason.Stop, jsonRequested: false, hasToolCalls: false, toolFailed: false);

        Assert.NotNull(error);
        Assert.Equal(expected, error.Type);
        Assert.False(error.IsHard);
        Assert.Equal("0", error.ErrorCode);
    }

    [Fact]
    public void ClassifyResponse_ProviderFlaggedRefusalWithoutText_IsRefusalNotEmpty()
    {
        var error = _classifier.ClassifyResponse(string.Empty, ChatFinishReason.Stop, jsonRequested: true, hasToolCalls: false, toolFailed: false, refused: true);

        Assert.NotNull(error);
        Assert.Equal(ErrorType.Refusal, error.Type);
        Assert.Equal(ErrorSeverity.Low, error.Severity);
    }

    [Fact]
    public void ClassifyResponse_ToolCallsWithoutText_IsNoError()
    {
        Assert.Null(_classifier.ClassifyResponse(string.Empty, ChatFinishReason.ToolCalls, jsonRequested: false, hasToolCalls: true, toolFailed: false));
    }

    private async Task<ClientResultException> SdkExceptionAsync(StubScenario scenario)
    {
        var client = stub.CreateSdkChatClient(scenario);
        return await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync("Hello"));
    }
}
