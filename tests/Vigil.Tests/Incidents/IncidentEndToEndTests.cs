using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using Vigil.Incidents;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Signals;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Incidents;

/// <summary>
/// The responder at work in an app: the official OpenAI SDK against a stub on 127.0.0.1, through <c>UseVigil()</c> and
/// <c>UseDegradation()</c> in a host with <c>AddVigil()</c> and <c>AddVigilIncidents()</c>, the clock a fake one.
/// </summary>
public sealed class IncidentEndToEndTests
{
    private const string PrimaryModel = "primary-model";
    private const string FallbackModel = "fallback-model";
    private static readonly TimeSpan AssessInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HoldPeriod = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Chat_ProviderErrorsThenHealth_FallsBackAndRecoversAfterTheHold()
    {
        await using var stub = await SwitchableOpenAiStub.StartAsync(PrimaryModel);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero));
        var seen = new SeenRecords();
        using var host = await StartAppAsync(time, seen);
        var services = host.Services;
        using var metrics = new MetricRecorder(services.GetRequiredService<VigilMetrics>().Meter);
        var responder = services.GetRequiredService<IncidentResponder>();
        var window = services.GetRequiredService<IncidentWindow>();
        var chat = new ChatClientBuilder(SdkClient(stub, PrimaryModel))
            .UseVigil()
            .UseDegradation(fallbackClient: SdkClient(stub, FallbackModel))
            .Build(services);

        // 2 of 25 calls fail: success 92% crosses P1's 95% (not P0's 90%).
        stub.FailNext = 2;
        var failed = 0;
        for (var i = 0; i < 25; i++)
        {
            try
            {
                await chat.GetResponseAsync("What is the capital of France?");
            }
            catch (ClientResultException)
            {
                failed++;
            }
        }

        Assert.Equal(2, failed);
        Assert.Equal(DegradationMode.Normal, responder.Mode);
        var assessor = services.GetRequiredService<IncidentAssessor>();
        var toEscalate = await AdvanceUntilAsync(time, assessor, () => responder.Mode != DegradationMode.Normal, TimeSpan.FromSeconds(2));
        Assert.Equal(DegradationMode.FallbackModel, responder.Mode);
        Assert.True(toEscalate <= AssessInterval, $"escalated after {toEscalate}");

        var answer = await chat.GetResponseAsync("What is the capital of France?");

        Assert.Equal(SwitchableOpenAiStub.AnswerOf(FallbackModel), answer.Text);
        Assert.Equal(1, stub.Requests.GetValueOrDefault(FallbackModel));
        var degraded = seen.Interactions[^1];
        Assert.Equal(Degradation.ModelFallback, degraded.Degradation);
        Assert.Equal(Degradation.None, seen.Interactions[0].Degradation);
        Assert.Equal(1, metrics.Sum(MetricNames.DegradedResponses, (MetricTags.Mode, "model_fallback")));
        Assert.Equal(1, metrics.Sum(MetricNames.DegradedResponses));
        Assert.Equal(25, window.Signals().Requests); // the fallback's answer says nothing of the provider

        // Health returns: the failing calls leave the window, and the mode steps down a hold period after.
        var toRecover = await AdvanceUntilAsync(time, assessor, () => responder.Mode == DegradationMode.Normal, TimeSpan.FromSeconds(30));
        Assert.True(toRecover >= HoldPeriod, $"recovered after {toRecover}");
        Assert.True(toRecover <= Window + HoldPeriod + AssessInterval * 2, $"recovered after {toRecover}");
        var healthy = await chat.GetResponseAsync("What is the capital of France?");
        Assert.Equal(SwitchableOpenAiStub.AnswerOf(PrimaryModel), healthy.Text);
        Assert.Equal(Degradation.None, seen.Interactions[^1].Degradation);

        var log = responder.Log;
        Assert.Equal([IncidentAction.Escalate, IncidentAction.Recover], log.Select(e => e.Action));
        Assert.Equal((DegradationMode.Normal, DegradationMode.FallbackModel, IncidentSeverity.P1), (log[0].FromMode, log[0].Mode, log[0].Severity));
        Assert.Contains("success rate 92.0% < 95.0%", log[0].Reason, StringComparison.Ordinal);
        Assert.Equal((DegradationMode.FallbackModel, DegradationMode.Normal, (IncidentSeverity?)null), (log[1].FromMode, log[1].Mode, log[1].Severity));
        var report = services.GetRequiredService<VigilMonitor>().GetReport();
        Assert.Equal("normal", report.Incident.Mode);
        Assert.Equal(log[1].Timestamp, report.Incident.Since);
    }

    [Fact]
    public async Task Chat_ModeFromTheGauge_FollowsTheResponder()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero));
        using var host = await StartAppAsync(time, new SeenRecords());
        var responder = host.Services.GetRequiredService<IncidentResponder>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var values = new ConcurrentQueue<long>();
        var meter = host.Services.GetRequiredService<VigilMetrics>().Meter;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == MetricNames.DegradationMode)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => values.Enqueue(value));
        listener.Start();

        listener.RecordObservableInstruments();
        responder.Override(DegradationMode.StaticResponse, "drill");
        listener.RecordObservableInstruments();

        Assert.Equal([0L, 3L], values);
    }

    private static IChatClient SdkClient(SwitchableOpenAiStub stub, string model) =>
        new OpenAIClient(new ApiKeyCredential("test"), new OpenAIClientOptions { Endpoint = stub.Endpoint, RetryPolicy = new ClientRetryPolicy(0) })
            .GetChatClient(model)
            .AsIChatClient();

    private static async Task<IHost> StartAppAsync(FakeTimeProvider time, SeenRecords seen)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Incidents:AssessInterval"] = AssessInterval.ToString(),
            ["Vigil:Incidents:MinRequests"] = "20",
            ["Vigil:Incidents:HoldPeriod"] = HoldPeriod.ToString(),
            ["Vigil:Incidents:Window"] = Window.ToString(),
        });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddVigil();
        builder.Services.AddVigilIncidents();
        builder.Services.AddSingleton<ISignalObserver>(seen);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    // Steps the fake clock one assess interval at a time until the condition holds; the fake time it took.
    private static async Task<TimeSpan> AdvanceUntilAsync(FakeTimeProvider time, IncidentAssessor assessor, Func<bool> condition, TimeSpan limit)
    {
        var elapsed = TimeSpan.Zero;
        while (!condition())
        {
            Assert.True(elapsed < limit, $"not within {limit} of fake time");
            var before = assessor.Assessments;
            time.Advance(AssessInterval);
            elapsed += AssessInterval;
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (assessor.Assessments == before) // the assessor's tick runs on the thread pool
            {
                Assert.True(DateTime.UtcNow < deadline, "the assessor did not tick");
                await Task.Delay(1);
            }
        }

        return elapsed;
    }

    private sealed class SeenRecords : ISignalObserver
    {
        private readonly ConcurrentQueue<InteractionRecord> _interactions = new();

        public IReadOnlyList<InteractionRecord> Interactions => [.. _interactions];

        public void OnInteraction(InteractionRecord interaction, bool restored) => _interactions.Enqueue(interaction);

        public void OnFeedback(FeedbackRecord feedback, bool restored)
        {
        }

        public void OnEvaluation(EvaluationRecord evaluation, bool restored)
        {
        }
    }
}
