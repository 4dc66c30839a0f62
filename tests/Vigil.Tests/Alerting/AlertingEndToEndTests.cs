using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using Vigil.Alerting;
using Vigil.Alerting.Engine;
using Vigil.Alerting.Notifications;
using Vigil.Signals;
using Vigil.Tests.Alerting.Notifications;
using Vigil.Tests.Incidents;

namespace Vigil.Tests.Alerting;

/// <summary>
/// From a provider's errors to the on-call's webhook, in an app: the official OpenAI SDK against a stub on 127.0.0.1
/// through <c>UseVigil()</c> in a host with <c>AddVigil()</c>; Vigil's own engine judges the catalog on a fake clock,
/// and its notifications arrive at a real receiver on loopback in Alertmanager's format, each state once.
/// </summary>
public sealed class AlertingEndToEndTests
{
    private const string Model = "primary-model";

    [Fact]
    public async Task ProviderErrors_EngineFiresThenResolves_WebhookGetsEachStateOnce()
    {
        await using var stub = await SwitchableOpenAiStub.StartAsync(Model);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero));
        await using var receiver = await CaptureServer.StartAsync(time.GetUtcNow);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Alerting:Webhook:Url"] = receiver.Url.ToString(),
            ["Vigil:Alerting:Engine:Enabled"] = "false", // the test evaluates by hand, between steps of the fake clock
        });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddVigil();
        var published = new CountingSink();
        builder.Services.AddSingleton<IAlertStateChangeSink>(sp =>
        {
            published.Inner = sp.GetRequiredService<NotificationDispatcher>();
            return published;
        });
        using var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<AlertEngine>();
        var chat = new ChatClientBuilder(new OpenAIClient(new ApiKeyCredential("test"),
                new OpenAIClientOptions { Endpoint = stub.Endpoint, RetryPolicy = new ClientRetryPolicy(0) }).GetChatClient(Model).AsIChatClient())
            .UseVigil()
            .Build(host.Services);

        // 3 of 30 calls fail: success 90%, below LLMSuccessRateCritical's 95% (for 2 minutes).
        stub.FailNext = 3;
        for (var i = 0; i < 30; i++)
        {
            try
            {
                await chat.GetResponseAsync("Where is my order?");
            }
            catch (ClientResultException)
            {
            }
        }

        engine.Evaluate();
        Assert.Equal("pending", Alert(engine, "LLMSuccessRateCritical")?.State);
        await AdvanceAsync(time, engine, published, receiver, TimeSpan.FromMinutes(2));
        Assert.Equal("firing", Alert(engine, "LLMSuccessRateCritical")?.State);
        var firing = await DeliveredAsync(receiver, "LLMSuccessRateCritical", "firing");

        // No calls since: the failures leave the 5-minute window and the alert resolves.
        await AdvanceAsync(time, engine, published, receiver, TimeSpan.FromMinutes(4));
        Assert.Null(Alert(engine, "LLMSuccessRateCritical"));
        var resolved = await DeliveredAsync(receiver, "LLMSuccessRateCritical", "resolved");

        Assert.Equal("4", firing["version"]!.GetValue<string>());
        var alert = firing["alerts"]![0]!;
        Assert.Equal("critical", alert["labels"]!["severity"]!.GetValue<string>());
        Assert.EndsWith("LLMSuccessRateCritical.md", alert["annotations"]!["runbook_url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("90", alert["annotations"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(alert["fingerprint"]!.GetValue<string>(), resolved["alerts"]![0]!["fingerprint"]!.GetValue<string>());

        // Each alert's states arrive once each, in order (the fast burn-rate alert fires and resolves beside it).
        await Task.Delay(200);
        var states = receiver.Delivered.Select(b => (Name: b["alerts"]![0]!["labels"]!["alertname"]!.GetValue<string>(), Status: b["status"]!.GetValue<string>())).ToList();
        Assert.True(states.Distinct().Count() == states.Count, string.Join("\n", receiver.Delivered.Select(b => b.ToJsonString())));
        Assert.True(states.IndexOf(("LLMSuccessRateCritical", "firing")) < states.IndexOf(("LLMSuccessRateCritical", "resolved")));
        Assert.DoesNotContain(host.Services.GetRequiredService<VigilMonitor>().GetReport().Alerts, a => a.Name == "LLMSuccessRateCritical");
    }

    private static Vigil.Reports.AlertFigures? Alert(AlertEngine engine, string name) => engine.Active.SingleOrDefault(a => a.Name == name);

    // Moves the fake clock in 10-second steps, evaluating after each, as the engine's loop would; the clock moves only
    // once every notification published so far was delivered (a fake clock that jumps while a request is in flight
    // would time the attempt out and retry it).
    private static async Task AdvanceAsync(FakeTimeProvider time, AlertEngine engine, CountingSink published, CaptureServer receiver, TimeSpan span)
    {
        for (var left = span; left > TimeSpan.Zero; left -= TimeSpan.FromSeconds(10))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (receiver.Delivered.Count < published.Count || !receiver.IsQuiet)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{published.Count} published, {receiver.Delivered.Count} delivered");
                await Task.Delay(5);
            }

            time.Advance(TimeSpan.FromSeconds(10));
            engine.Evaluate();
        }
    }

    private sealed class CountingSink : IAlertStateChangeSink
    {
        private int _count;

        public NotificationDispatcher? Inner { get; set; }

        public int Count => Volatile.Read(ref _count);

        public void Publish(AlertStateChange change)
        {
            Interlocked.Increment(ref _count);
            Inner!.Publish(change);
        }
    }

    // Waits (real time, the fake clock standing still) for the receiver to have the notification.
    private static async Task<JsonObject> DeliveredAsync(CaptureServer receiver, string name, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = receiver.Delivered.FirstOrDefault(b => b["status"]!.GetValue<string>() == status
                && b["alerts"]![0]!["labels"]!["alertname"]!.GetValue<string>() == name);
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {status} notification of {name}; got {receiver.Delivered.Count}");
            await Task.Delay(10);
        }
    }
}
