using Microsoft.Extensions.AI;
using Vigil.ChatClients;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary>Labels stay low-cardinality whatever models and features callers send.</summary>
public sealed class VigilChatClientLabelGuardTests(OpenAiStubServer stub) : IClassFixture<OpenAiStubServer>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ModelOutsideConfiguredSet_LabelsModelOther(bool streaming)
    {
        var options = new VigilOptions();
        options.Models.Add("gpt-4.1-mini");
        using var harness = new VigilTestHarness(options);

        await ChatDriver.RunAsync(harness.Wrap(stub.CreateChatClient(StubScenario.Normal, model: "gpt-4.1-mini")), streaming);
        await ChatDriver.RunAsync(harness.Wrap(stub.CreateChatClient(StubScenario.Normal, model: "gpt-4.1")), streaming);

        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Requests, ("model", "gpt-4.1-mini")));
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.Requests, ("model", LabelGuard.Other)));
        Assert.Equal(["gpt-4.1-mini", LabelGuard.Other], harness.Recorder.LabelValues(MetricNames.Requests, "model").Order(StringComparer.Ordinal));
        Assert.Equal([LabelGuard.Other, "gpt-4.1-mini"], harness.Recorder.LabelValues(MetricNames.Tokens, "model").OrderDescending(StringComparer.Ordinal));
        Assert.Equal(1, harness.Recorder.Sum(MetricNames.LabelOverflow, ("label", "model")));

        // The record keeps the real model, and prices it as that model.
        var other = Assert.Single(harness.Sink.Records, r => r.Model == "gpt-4.1");
        Assert.Equal(Vigil.Pricing.PriceCatalog.Default.Quote("gpt-4.1", OpenAiStubServer.PromptTokens, OpenAiStubServer.CompletionTokens, OpenAiStubServer.CachedTokens).Usd,
            other.CostUsd);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_TenFeaturesWithMaxThreeLabels_KeepsAtMostThreeEndpointsPlusOther(bool streaming)
    {
        var options = new VigilOptions { MaxLabelValues = 3 };
        using var harness = new VigilTestHarness(options);
        var client = harness.Wrap(stub.CreateChatClient(StubScenario.Normal));
        var features = Enumerable.Range(1, 10).Select(i => $"feature_{i:00}").ToList();

        await Task.WhenAll(features.Select(f => ChatDriver.RunAsync(client, streaming, new ChatOptions().WithVigil(feature: f))));

        var endpoints = harness.Recorder.LabelValues(MetricNames.Requests, "endpoint");
        Assert.Equal(4, endpoints.Count);
        Assert.Contains(LabelGuard.Other, endpoints);
        Assert.All(endpoints.Where(e => e != LabelGuard.Other), e => Assert.Contains(e, features));
        Assert.Equal(10, harness.Recorder.Sum(MetricNames.Requests));
        Assert.Equal(7, harness.Recorder.Sum(MetricNames.Requests, ("endpoint", LabelGuard.Other)));
        Assert.Equal(endpoints, harness.Recorder.LabelValues(MetricNames.RequestDuration, "endpoint"));
        Assert.Equal(endpoints, harness.Recorder.LabelValues(MetricNames.Cost, "feature"));
        Assert.Equal(7, harness.Recorder.Sum(MetricNames.LabelOverflow, ("label", "feature")));

        // Records keep every feature: only labels are folded.
        Assert.Equal(features, harness.Sink.Records.Select(r => r.Feature).Order(StringComparer.Ordinal));
    }
}
