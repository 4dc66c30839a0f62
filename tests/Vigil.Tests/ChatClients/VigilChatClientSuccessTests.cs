using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary><c>UseVigil()</c> on a normal reply of the official OpenAI SDK, against <see cref="OpenAiStubServer"/>.</summary>
public sealed class VigilChatClientSuccessTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    private const string Model = OpenAiStubServer.DefaultModel;

    // gpt-4.1-mini: 0.4 input, 1.6 output, 0.1 cached, per 1M tokens.
    // (1000 - 400) * 0.4 + 400 * 0.1 + 250 * 1.6 = 240 + 40 + 400 = 680 per 1M.
    private const decimal ExpectedCost = 0.00068m;

    private static ChatOptions CustomerService() => new ChatOptions().WithVigil(feature: "customer_service", userTier: "pro", userId: "u-42");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NormalReply_CountsOneSuccessWithoutError(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        var outcome = await ChatDriver.RunAsync(client, streaming, CustomerService());

        Assert.Equal(OpenAiStubServer.NormalReply, outcome.Text);
        var request = Assert.Single(harness.Recorder.Of(MetricNames.Requests));
        Assert.Equal(1, request.Value);
        Assert.True(request.HasTags(("model", Model), ("endpoint", "customer_service"), ("status", "success"), ("error_type", "none")));
        Assert.Equal(4, request.Tags.Count);
        Assert.Empty(harness.Recorder.Of(MetricNames.Errors));
        Assert.Empty(harness.Recorder.Of(MetricNames.CancelledRequests));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NormalReply_RecordsOneDurationWithModelAndEndpoint(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        await ChatDriver.RunAsync(client, streaming, CustomerService());

        var duration = Assert.Single(harness.Recorder.Of(MetricNames.RequestDuration));
        Assert.True(duration.HasTags(("model", Model), ("endpoint", "customer_service")));
        Assert.Equal(2, duration.Tags.Count);
        Assert.InRange(duration.Value, 0.000_001, 5);
        Assert.Equal(harness.SingleRecord.LatencyMs / 1000, duration.Value, 9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NormalReply_CountsTokensFromUsage(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        await ChatDriver.RunAsync(client, streaming, CustomerService());

        Assert.Equal(OpenAiStubServer.PromptTokens, harness.Recorder.Sum(MetricNames.Tokens, ("model", Model), ("token_type", "input")));
        Assert.Equal(OpenAiStubServer.CompletionTokens, harness.Recorder.Sum(MetricNames.Tokens, ("model", Model), ("token_type", "output")));
        Assert.Equal(OpenAiStubServer.CachedTokens, harness.Recorder.Sum(MetricNames.Tokens, ("model", Model), ("token_type", "cached")));
        Assert.Equal(3, harness.Recorder.Of(MetricNames.Tokens).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NormalReply_CostEqualsPriceCatalogQuote(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        await ChatDriver.RunAsync(client, streaming, CustomerService());

        var quote = PriceCatalog.Default.Quote(Model, OpenAiStubServer.PromptTokens, OpenAiStubServer.CompletionTokens, OpenAiStubServer.CachedTokens);
        Assert.Equal(ExpectedCost, quote.Usd);
        Assert.False(quote.IsFallbackPrice);
        Assert.Equal(ExpectedCost, harness.SingleRecord.CostUsd);

        var cost = Assert.Single(harness.Recorder.Of(MetricNames.Cost));
        Assert.True(cost.HasTags(("model", Model), ("feature", "customer_service"), ("user_tier", "pro")));
        Assert.Equal((double)ExpectedCost, cost.Value, 12);
        var perInteraction = Assert.Single(harness.Recorder.Of(MetricNames.CostPerInteraction));
        Assert.True(perInteraction.HasTags(("feature", "customer_service")));
        Assert.Equal((double)ExpectedCost, perInteraction.Value, 12);
        Assert.Empty(harness.Recorder.Of(MetricNames.UnpricedRequests));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NormalReply_EmitsRecordWithCallContextAndResponseId(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));
        var before = DateTimeOffset.UtcNow;

        var outcome = await ChatDriver.RunAsync(client, streaming, CustomerService());

        var record = harness.SingleRecord;
        Assert.NotNull(outcome.ResponseId);
        Assert.StartsWith("chatcmpl-stub-", outcome.ResponseId, StringComparison.Ordinal);
        Assert.Equal(outcome.ResponseId, record.TraceId);
        Assert.Equal(Model, record.Model);
        Assert.Equal("openai", record.Provider);
        Assert.Equal("customer_service", record.Feature);
        Assert.Equal("pro", record.UserTier);
        Assert.Equal("u-42", record.UserId);
        Assert.Equal(InteractionStatus.Success, record.Status);
        Assert.Null(record.ErrorType);
        Assert.Null(record.HttpStatus);
        Assert.True(record.IsGood);
        Assert.True(record.LatencyMs > 0);
        Assert.InRange(record.Timestamp, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(OpenAiStubServer.PromptTokens, record.InputTokens);
        Assert.Equal(OpenAiStubServer.CompletionTokens, record.OutputTokens);
        Assert.Equal(OpenAiStubServer.CachedTokens, record.CachedTokens);
        Assert.Equal(ExpectedCost, record.CostUsd);
        Assert.Equal(Degradation.None, record.Degradation);
        Assert.Null(record.Attributes);

        // Content capture is off by default: text stays out of telemetry.
        Assert.Null(record.Query);
        Assert.Null(record.Response);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_TraceIdInOptions_RecordUsesCallersTraceId(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        var outcome = await ChatDriver.RunAsync(client, streaming, CustomerService().WithVigil(traceId: "trace-0042"));

        Assert.NotEqual("trace-0042", outcome.ResponseId);
        Assert.Equal("trace-0042", harness.SingleRecord.TraceId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NoVigilContext_UsesDefaultFeatureAndTier(bool streaming)
    {
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        await ChatDriver.RunAsync(client, streaming);

        var record = harness.SingleRecord;
        Assert.Equal("default", record.Feature);
        Assert.Equal("free", record.UserTier);
        Assert.Null(record.UserId);
        Assert.Single(harness.Recorder.Of(MetricNames.Requests, ("endpoint", "default")));
        Assert.Single(harness.Recorder.Of(MetricNames.Cost, ("feature", "default"), ("user_tier", "free")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_CaptureContentOn_RecordHoldsQueryResponseAndContext(bool streaming)
    {
        var options = new VigilOptions { CaptureContent = true };
        using var harness = new VigilTestHarness(options);
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));

        await ChatDriver.RunAsync(client, streaming, new ChatOptions().WithVigil(context: "France: capital Paris."));

        var record = harness.SingleRecord;
        Assert.Equal("What is the capital of France?", record.Query);
        Assert.Equal(OpenAiStubServer.NormalReply, record.Response);
        Assert.Equal("France: capital Paris.", record.Context);
    }
}
