using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Vigil.ChatClients;
using Vigil.Incidents;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.ChatClients;

/// <summary><c>UseDegradation()</c> in each mode, over a fake inner client.</summary>
public sealed class DegradingChatClientTests
{
    private const string Primary = "The capital of France is Paris.";
    private const string Backup = "Paris is the capital of France.";

    private sealed class Counting
    {
        public int Calls;
        public string? LastModel;

        public FakeChatClient Client(string text) => new()
        {
            OnGetResponse = (_, options, _) =>
            {
                Interlocked.Increment(ref Calls);
                LastModel = options?.ModelId;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop });
            },
        };
    }

    private static IChatClient Build(IChatClient inner, IDegradationModeSource modes, DegradationOptions? options = null, IChatClient? fallback = null) =>
        new ChatClientBuilder(inner).UseDegradation(modes, options, fallback).Build();

    private static async Task<(string Text, IReadOnlyList<string?> Marks)> AskAsync(IChatClient client, bool streaming, ChatOptions? options = null)
    {
        if (!streaming)
        {
            var response = await client.GetResponseAsync(ChatDriver.Question(), options);
            return (response.Text, [Mark(response.AdditionalProperties)]);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(ChatDriver.Question(), options))
        {
            updates.Add(update);
        }

        Assert.NotEmpty(updates);
        return (string.Concat(updates.Select(u => u.Text)), updates.Select(u => Mark(u.AdditionalProperties)).ToList());
    }

    private static string? Mark(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(VigilChatOptions.DegradationKey, out var value) == true ? value?.ToString() : null;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_Normal_PassesThroughUnmarked(bool streaming)
    {
        var inner = new Counting();
        var client = Build(inner.Client(Primary), new FixedDegradationModeSource());

        var (text, marks) = await AskAsync(client, streaming);

        Assert.Equal(Primary, text);
        Assert.All(marks, Assert.Null);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_FallbackModelWithClient_AnswersFromFallbackMarked(bool streaming)
    {
        var inner = new Counting();
        var backup = new Counting();
        var client = Build(inner.Client(Primary), new FixedDegradationModeSource(DegradationMode.FallbackModel), fallback: backup.Client(Backup));

        var (text, marks) = await AskAsync(client, streaming);

        Assert.Equal(Backup, text);
        Assert.All(marks, m => Assert.Equal("model_fallback", m));
        Assert.Equal(0, inner.Calls);
        Assert.Equal(1, backup.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_FallbackModelAnswers_RecordedAgainstTheModelThatAnswered(bool streaming)
    {
        var backup = new FakeChatClient
        {
            OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Backup)) { ModelId = "backup-model", FinishReason = ChatFinishReason.Stop }),
        };
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(Build(new Counting().Client(Primary), new FixedDegradationModeSource(DegradationMode.FallbackModel), fallback: backup));

        await ChatDriver.RunAsync(client, streaming, new ChatOptions { ModelId = "primary-model" });

        Assert.Equal(Degradation.ModelFallback, harness.SingleRecord.Degradation);
        Assert.Equal("backup-model", harness.SingleRecord.Model);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_FallbackModelFails_RecordedAsDegradedAgainstTheFallbackModel(bool streaming)
    {
        var failing = new FakeChatClient
        {
            Metadata = new ChatClientMetadata("fake", null, "backup-model"),
            OnGetResponse = (_, _, _) => throw new HttpRequestException("rate limited", null, System.Net.HttpStatusCode.TooManyRequests),
        };
        using var harness = new VigilTestHarness();
        var client = harness.Wrap(Build(new Counting().Client(Primary), new FixedDegradationModeSource(DegradationMode.FallbackModel), fallback: failing));

        var thrown = await ChatDriver.FailAsync(client, streaming, new ChatOptions().WithVigil(feature: "customer_service"));

        Assert.IsType<HttpRequestException>(thrown); // passed on unchanged
        var record = harness.SingleRecord;
        Assert.Equal(InteractionStatus.Error, record.Status);
        Assert.Equal(ErrorType.RateLimit, record.ErrorType);
        Assert.Equal(Degradation.ModelFallback, record.Degradation); // not the primary model's failure: the responder leaves it out
        Assert.Equal("backup-model", record.Model);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_FallbackModelWithModelId_AsksInnerForThatModel(bool streaming)
    {
        var inner = new Counting();
        var client = Build(inner.Client(Primary), new FixedDegradationModeSource(DegradationMode.FallbackModel),
            new DegradationOptions { FallbackModelId = "gpt-4.1-nano" });
        var options = new ChatOptions { ModelId = "gpt-4.1" };

        var (text, marks) = await AskAsync(client, streaming, options);

        Assert.Equal(Primary, text);
        Assert.Equal("gpt-4.1-nano", inner.LastModel);
        Assert.Equal("gpt-4.1", options.ModelId); // the caller's options are not changed
        Assert.All(marks, m => Assert.Equal("model_fallback", m));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_FallbackModelWithNothingConfigured_AnswersStatically(bool streaming)
    {
        var inner = new Counting();
        var client = Build(inner.Client(Primary), new FixedDegradationModeSource(DegradationMode.FallbackModel));

        var (text, marks) = await AskAsync(client, streaming);

        Assert.Equal(DegradationOptions.DefaultChineseResponse, text);
        Assert.All(marks, m => Assert.Equal("default_response", m));
        Assert.Equal(0, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_CachedOnlyAfterNormalAnswer_AnswersFromCache(bool streaming)
    {
        var inner = new Counting();
        var modes = new FixedDegradationModeSource();
        var client = Build(inner.Client(Primary), modes);
        await AskAsync(client, streaming);

        modes.Mode = DegradationMode.CachedOnly;
        var (text, marks) = await AskAsync(client, streaming);

        Assert.Equal(Primary, text);
        Assert.All(marks, m => Assert.Equal("cache_fallback", m));
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_CachedOnlyMiss_AnswersStatically(bool streaming)
    {
        var inner = new Counting();
        var client = Build(inner.Client(Primary), new FixedDegradationModeSource(DegradationMode.CachedOnly));

        var (text, marks) = await AskAsync(client, streaming);

        Assert.Equal(DegradationOptions.DefaultChineseResponse, text);
        Assert.All(marks, m => Assert.Equal("default_response", m));
        Assert.Equal(0, inner.Calls);
    }

    [Theory]
    [InlineData(false, null, DegradationOptions.DefaultChineseResponse)]
    [InlineData(true, null, DegradationOptions.DefaultChineseResponse)]
    [InlineData(false, "en", DegradationOptions.DefaultEnglishResponse)]
    [InlineData(true, "en-US", DegradationOptions.DefaultEnglishResponse)]
    [InlineData(false, "zh-CN", DegradationOptions.DefaultChineseResponse)]
    [InlineData(true, "fr", DegradationOptions.DefaultChineseResponse)]
    public async Task GetResponse_StaticResponse_AnswersInTheCallsLanguage(bool streaming, string? language, string expected)
    {
        var inner = new Counting();
        var client = Build(inner.Client(Primary), new FixedDegradationModeSource(DegradationMode.StaticResponse));
        var options = new ChatOptions();
        if (language is not null)
        {
            (options.AdditionalProperties ??= [])[DegradationOptions.LanguageKey] = language;
        }

        var (text, marks) = await AskAsync(client, streaming, options);

        Assert.Equal(expected, text);
        Assert.All(marks, m => Assert.Equal("default_response", m));
        Assert.Equal(0, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_StaticResponseConfigured_UsesDefaultLanguageAndOwnText(bool streaming)
    {
        var options = new DegradationOptions { DefaultLanguage = "de" };
        options.StaticResponses["de"] = "Bitte versuchen Sie es später erneut.";
        var client = Build(new Counting().Client(Primary), new FixedDegradationModeSource(DegradationMode.StaticResponse), options);

        var (text, _) = await AskAsync(client, streaming);

        Assert.Equal("Bitte versuchen Sie es später erneut.", text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_Disabled_ThrowsWithoutCallingModel(bool streaming)
    {
        var inner = new Counting();
        var client = Build(inner.Client(Primary), new FixedDegradationModeSource(DegradationMode.Disabled));

        var error = await ChatDriver.FailAsync(client, streaming);

        Assert.IsType<ChatDisabledException>(error);
        Assert.Equal(0, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ModeFromIncidentResponder_FollowsItsOverride(bool streaming)
    {
        var responder = new IncidentResponder();
        var client = Build(new Counting().Client(Primary), responder);
        responder.Override(DegradationMode.StaticResponse, "drill");

        var (text, _) = await AskAsync(client, streaming);

        Assert.Equal(DegradationOptions.DefaultChineseResponse, text);
    }

    [Fact]
    public void UseDegradation_NoModeSource_Throws()
    {
        var builder = new ChatClientBuilder(new Counting().Client(Primary)).UseDegradation();

        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Theory]
    [InlineData(false, DegradationMode.FallbackModel, Degradation.ModelFallback)]
    [InlineData(true, DegradationMode.FallbackModel, Degradation.ModelFallback)]
    [InlineData(false, DegradationMode.CachedOnly, Degradation.DefaultResponse)]
    [InlineData(true, DegradationMode.CachedOnly, Degradation.DefaultResponse)]
    [InlineData(false, DegradationMode.StaticResponse, Degradation.DefaultResponse)]
    [InlineData(true, DegradationMode.StaticResponse, Degradation.DefaultResponse)]
    public async Task UseVigilOutside_DegradedAnswer_RecordsDegradationAndCountsIt(bool streaming, DegradationMode mode, Degradation expected)
    {
        using var harness = new VigilTestHarness();
        using var services = new ServiceCollection().AddSingleton(harness.Metrics).BuildServiceProvider();
        var client = new ChatClientBuilder(new Counting().Client(Primary))
            .UseVigil(harness.Options, harness.Sink)
            .UseDegradation(new FixedDegradationModeSource(mode), fallbackClient: new Counting().Client(Backup))
            .Build(services);

        await ChatDriver.RunAsync(client, streaming);

        var record = harness.SingleRecord;
        Assert.Equal(expected, record.Degradation);
        Assert.Equal(InteractionStatus.Success, record.Status);
        var degraded = Assert.Single(harness.Recorder.Of(MetricNames.DegradedResponses));
        Assert.Equal(1, degraded.Value);
        Assert.True(degraded.HasTags(("mode", DegradationLabels.Of(expected))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UseVigilOutside_CacheHit_RecordsCacheFallback(bool streaming)
    {
        using var harness = new VigilTestHarness();
        using var services = new ServiceCollection().AddSingleton(harness.Metrics).BuildServiceProvider();
        var modes = new FixedDegradationModeSource();
        var client = new ChatClientBuilder(new Counting().Client(Primary))
            .UseVigil(harness.Options, harness.Sink)
            .UseDegradation(modes)
            .Build(services);
        await ChatDriver.RunAsync(client, streaming);

        modes.Mode = DegradationMode.CachedOnly;
        await ChatDriver.RunAsync(client, streaming);

        Assert.Equal([Degradation.None, Degradation.CacheFallback], harness.Sink.Records.Select(r => r.Degradation));
    }
}
