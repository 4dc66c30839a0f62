using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Alerting;
using Vigil.Alerting.Notifications;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>
/// The notifiers against receivers on loopback that answer 429 with Retry-After, 500, 400, or hang: each state change
/// arrives exactly once (counting only answers of success), in order, after the receiver recovers; what is refused is
/// not retried; <c>Publish</c> never waits; secrets never reach the logs.
/// </summary>
public sealed class NotificationDispatcherTests
{
    public static TheoryData<string> Notifiers => ["webhook", "slack", "pagerduty"];

    [Theory]
    [MemberData(nameof(Notifiers))]
    public async Task Publish_ReceiverAnswers429WithRetryAfter_EachStateArrivesOnceInOrder(string notifier)
    {
        var (server, harness) = await StartAsync(notifier, n => n < 3 ? CaptureReply.Status(HttpStatusCode.TooManyRequests, "30") : Success(notifier));
        await using (server)
        await using (harness)
        {
            var firing = AlertChanges.Firing();
            harness.Sink.Publish(firing);
            harness.Sink.Publish(AlertChanges.Resolved(firing));

            await AssertDeliveredOnceInOrderAsync(harness, server, notifier, expectedRequests: 5);
            var requests = server.Requests;
            for (var i = 1; i <= 3; i++)
            {
                // 30 s: longer than any backoff of the test options (at most 10 s), so only Retry-After explains it.
                Assert.True(requests[i].At - requests[i - 1].At >= TimeSpan.FromSeconds(30),
                    $"Request {i} came {requests[i].At - requests[i - 1].At} after a 429 with Retry-After: 30.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Notifiers))]
    public async Task Publish_ReceiverAnswers500_EachStateArrivesOnceInOrder(string notifier)
    {
        var (server, harness) = await StartAsync(notifier, n => n < 3 ? CaptureReply.Status(HttpStatusCode.InternalServerError) : Success(notifier));
        await using (server)
        await using (harness)
        {
            var firing = AlertChanges.Firing();
            harness.Sink.Publish(firing);
            harness.Sink.Publish(AlertChanges.Resolved(firing));

            await AssertDeliveredOnceInOrderAsync(harness, server, notifier, expectedRequests: 5);
        }
    }

    [Theory]
    [MemberData(nameof(Notifiers))]
    public async Task Publish_ReceiverHangs_EachStateArrivesOnceInOrderAfterAttemptTimeouts(string notifier)
    {
        var (server, harness) = await StartAsync(notifier, n => n < 2 ? CaptureReply.Hangs() : Success(notifier));
        await using (server)
        await using (harness)
        {
            var firing = AlertChanges.Firing();
            harness.Sink.Publish(firing);
            harness.Sink.Publish(AlertChanges.Resolved(firing));

            await AssertDeliveredOnceInOrderAsync(harness, server, notifier, expectedRequests: 4);
            var requests = server.Requests;
            Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMinutes(2), "The hanging attempt was abandoned before its 2 min timeout.");
            Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMinutes(2), "The hanging attempt was abandoned before its 2 min timeout.");
        }
    }

    [Fact]
    public async Task Publish_ReceiverAnswers400_NotRetriedCountedFailedAndTheNextStillGoes()
    {
        var (server, harness) = await StartAsync("webhook", n => n == 0 ? CaptureReply.Status(HttpStatusCode.BadRequest) : CaptureReply.Status(HttpStatusCode.OK));
        await using (server)
        await using (harness)
        {
            var firing = AlertChanges.Firing();
            harness.Sink.Publish(firing);
            harness.Sink.Publish(AlertChanges.Resolved(firing));

            await harness.UntilAsync(() => server.Delivered.Count == 1, "the resolve is delivered", [server]);
            await SettleAsync(harness, server);

            Assert.Equal(2, server.Requests.Count);
            Assert.Equal("firing", server.Requests[0].Json["status"]!.GetValue<string>());
            Assert.Equal("resolved", server.Delivered[0]["status"]!.GetValue<string>());
            Assert.Equal(1, harness.Count("webhook", "failed"));
            Assert.Equal(1, harness.Count("webhook", "sent"));
            Assert.Contains(harness.Logs.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("webhook", StringComparison.Ordinal) && e.Contains("400", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Publish_ReceiverHangs_ReturnsAtOnceAndDropsWhatFindsTheQueueFull()
    {
        var (server, harness) = await StartAsync("slack", _ => CaptureReply.Hangs(), new() { ["Vigil:Alerting:Delivery:QueueCapacity"] = "3" });
        await using (server)
        await using (harness)
        {
            harness.Sink.Publish(AlertChanges.Firing("A"));
            await harness.UntilAsync(() => server.Requests.Count == 1, "the first notification hangs", [], TimeSpan.Zero);

            var clock = Stopwatch.StartNew();
            foreach (var name in (string[])["B", "C", "D", "E", "F"])
            {
                harness.Sink.Publish(AlertChanges.Firing(name));
            }

            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(250), $"Publishing five changes took {clock.Elapsed} while the receiver hangs.");
            Assert.Equal(2, harness.Count("slack", "dropped")); // three wait behind the hanging one
            Assert.Equal(3, harness.Dispatcher.Pending);
            Assert.Contains(harness.Logs.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("queue is full", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Publish_ReceiverNeverRecovers_GivenUpAfterMaxDeliveryTimeAndCountedFailed()
    {
        var recovered = false;
        var (server, harness) = await StartAsync("pagerduty",
            _ => Volatile.Read(ref recovered) ? CaptureReply.Status(HttpStatusCode.Accepted) : CaptureReply.Status(HttpStatusCode.ServiceUnavailable),
            new() { ["Vigil:Alerting:Delivery:MaxDeliveryTime"] = "00:02:00" });
        await using (server)
        await using (harness)
        {
            var firing = AlertChanges.Firing();
            harness.Sink.Publish(firing);
            await harness.UntilAsync(() => harness.Count("pagerduty", "failed") == 1, "the trigger is given up", [server]);

            var requests = server.Requests;
            Assert.True(requests.Count > 3, $"Only {requests.Count} attempts in 2 minutes of retries.");
            Assert.True(requests[^1].At - requests[0].At <= TimeSpan.FromMinutes(2), "An attempt was made after the delivery time ran out.");
            Assert.Contains(harness.Logs.Entries, e => e.StartsWith("Error", StringComparison.Ordinal) && e.Contains("given up", StringComparison.Ordinal));

            await harness.UntilAsync(() => harness.IsQuiet([server]), "the last attempt is answered", [], TimeSpan.Zero);
            Assert.Empty(server.Delivered);
            Volatile.Write(ref recovered, true);
            harness.Sink.Publish(AlertChanges.Resolved(firing));
            await harness.UntilAsync(() => server.Delivered.Count == 1, "the resolve is delivered", [server]);
            Assert.Equal("resolve", server.Delivered[0]["event_action"]!.GetValue<string>());
            Assert.Equal(1, harness.Count("pagerduty", "sent"));
        }
    }

    [Fact]
    public async Task Publish_AlertsOfEachSeverity_EachNotifierTakesThoseAtLeastAsSevereAsItsMinimum()
    {
        NotificationHarness? harness = null;
        DateTimeOffset Clock() => harness?.Time.GetUtcNow() ?? DateTimeOffset.UnixEpoch;
        await using var slack = await CaptureServer.StartAsync(Clock);
        await using var pagerDuty = await CaptureServer.StartAsync(Clock);
        pagerDuty.Script = _ => CaptureReply.Status(HttpStatusCode.Accepted);
        harness = new NotificationHarness(new Dictionary<string, string?>
        {
            ["Vigil:Alerting:Slack:WebhookUrl"] = slack.Url.ToString(),
            ["Vigil:Alerting:Slack:MinSeverity"] = "warning",
            ["Vigil:Alerting:PagerDuty:RoutingKey"] = "R0123456789abcdef0123456789abcdef",
            ["Vigil:Alerting:PagerDuty:Url"] = pagerDuty.Url.ToString(),
        });
        await using (harness)
        {
            harness.Sink.Publish(AlertChanges.Firing("EmbeddingDriftDetected", AlertSeverity.Info));
            harness.Sink.Publish(AlertChanges.Firing("LLMQualityDrift", AlertSeverity.Warning));
            harness.Sink.Publish(AlertChanges.Firing("LLMP99LatencyHigh", AlertSeverity.High));
            harness.Sink.Publish(AlertChanges.Resolved(AlertChanges.Firing("LLMQualityDrift", AlertSeverity.Warning)));
            CaptureServer[] servers = [slack, pagerDuty];
            await harness.UntilAsync(() => slack.Delivered.Count == 3 && pagerDuty.Delivered.Count == 1, "the notifiers take their alerts", servers);
            await SettleAsync(harness, servers);

            // PagerDuty pages for P0 and P1 only (the seed's §7.1); Slack here from warning up, resolves included.
            Assert.Equal(["LLMP99LatencyHigh"], pagerDuty.Delivered.Select(b => b["payload"]!["class"]!.GetValue<string>()));
            Assert.Equal(3, slack.Requests.Count);
            Assert.DoesNotContain(slack.Requests, r => r.Body.Contains("EmbeddingDriftDetected", StringComparison.Ordinal));
            Assert.Equal(0, harness.Count("pagerduty", "dropped"));
        }
    }

    [Fact]
    public async Task StopAsync_ChangesQueued_DeliversThemBeforeStopping()
    {
        var (server, harness) = await StartAsync("webhook", _ => CaptureReply.Status(HttpStatusCode.OK));
        await using (server)
        await using (harness)
        {
            foreach (var name in (string[])["A", "B", "C"])
            {
                harness.Sink.Publish(AlertChanges.Firing(name));
            }

            await harness.Dispatcher.StopAsync();

            Assert.Equal(["A", "B", "C"], server.Delivered.Select(d => d["alerts"]![0]!["labels"]!["alertname"]!.GetValue<string>()));
            Assert.Equal(3, harness.Count("webhook", "sent"));
        }
    }

    [Fact]
    public async Task StopAsync_ReceiverHangs_DropsWhatIsLeftWhenTheShutdownWaitRunsOut()
    {
        var (server, harness) = await StartAsync("webhook", _ => CaptureReply.Hangs());
        await using (server)
        await using (harness)
        {
            harness.Sink.Publish(AlertChanges.Firing("A"));
            harness.Sink.Publish(AlertChanges.Firing("B"));
            await harness.UntilAsync(() => server.Requests.Count == 1, "the first notification hangs", [], TimeSpan.Zero);

            var stopping = harness.Dispatcher.StopAsync();
            await harness.UntilAsync(() => stopping.IsCompleted, "the dispatcher stops", [server]);
            await stopping;
            harness.Sink.Publish(AlertChanges.Firing("C"));

            Assert.Equal(3, harness.Count("webhook", "dropped"));
            Assert.Equal(0, harness.Count("webhook", "sent"));
            Assert.Empty(server.Delivered);
        }
    }

    [Fact]
    public async Task Logs_EveryOutcome_HoldNeitherWebhookUrlsNorRoutingKey()
    {
        NotificationHarness? harness = null;
        DateTimeOffset Clock() => harness?.Time.GetUtcNow() ?? DateTimeOffset.UnixEpoch;
        CaptureReply Script(int n) => n switch
        {
            0 => CaptureReply.Status(HttpStatusCode.InternalServerError),
            2 => CaptureReply.Status(HttpStatusCode.BadRequest),
            _ => CaptureReply.Status(HttpStatusCode.Accepted),
        };
        await using var webhook = await CaptureServer.StartAsync(Clock, "/hook/SECRET-WEBHOOK-PATH?token=SECRET-WEBHOOK-QUERY");
        await using var slack = await CaptureServer.StartAsync(Clock, "/services/T0001/B0001/SECRET-SLACK-TOKEN");
        await using var pagerDuty = await CaptureServer.StartAsync(Clock, "/v2/enqueue");
        webhook.Script = slack.Script = pagerDuty.Script = Script;
        harness = new NotificationHarness(new Dictionary<string, string?>
        {
            ["Vigil:Alerting:Webhook:Url"] = webhook.Url.ToString(),
            ["Vigil:Alerting:Slack:WebhookUrl"] = slack.Url.ToString(),
            ["Vigil:Alerting:PagerDuty:RoutingKey"] = "SECRET-ROUTING-KEY-0123456789abcdef",
            ["Vigil:Alerting:PagerDuty:Url"] = pagerDuty.Url.ToString(),
        });
        await using (harness)
        {
            var firing = AlertChanges.Firing();
            harness.Sink.Publish(firing);
            harness.Sink.Publish(AlertChanges.Resolved(firing));
            harness.Sink.Publish(AlertChanges.Firing("LLMP99LatencyHigh", AlertSeverity.High));
            CaptureServer[] servers = [webhook, slack, pagerDuty];
            await harness.UntilAsync(() => servers.All(s => s.Requests.Count == 4), "every receiver is asked four times", servers);
            await SettleAsync(harness, servers);

            Assert.Equal(["webhook", "slack", "pagerduty"], harness.Dispatcher.Notifiers);
            Assert.Equal("SECRET-ROUTING-KEY-0123456789abcdef", pagerDuty.Delivered[0]["routing_key"]!.GetValue<string>());
            Assert.EndsWith("?token=SECRET-WEBHOOK-QUERY", webhook.Requests[0].PathAndQuery, StringComparison.Ordinal);
            foreach (var name in (string[])["webhook", "slack", "pagerduty"])
            {
                Assert.Equal(2, harness.Count(name, "sent"));
                Assert.Equal(1, harness.Count(name, "failed"));
            }

            var logs = harness.Logs.Entries;
            Assert.Contains(logs, e => e.Contains("slack", StringComparison.Ordinal) && e.Contains("127.0.0.1", StringComparison.Ordinal));
            Assert.Contains(logs, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("pagerduty", StringComparison.Ordinal));
            Assert.DoesNotContain(logs, e => e.Contains("SECRET", StringComparison.OrdinalIgnoreCase) || e.Contains("T0001", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AddVigil_NotifierUrlNotAbsolute_HostFailsToStartNamingTheKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Vigil:Alerting:Slack:WebhookUrl"] = "hooks.slack.com/services/SECRET-TOKEN" });
        builder.Logging.ClearProviders();
        builder.Services.AddVigil();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Vigil:Alerting:Slack:WebhookUrl", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddVigil_NoNotifierKey_NoNotifierAndPublishTakesNothing()
    {
        await using var harness = new NotificationHarness(new Dictionary<string, string?>());

        harness.Sink.Publish(AlertChanges.Firing());

        Assert.Same(harness.Dispatcher, harness.Sink);
        Assert.Empty(harness.Dispatcher.Notifiers);
        Assert.Equal(0, harness.Dispatcher.Pending);
        Assert.Empty(harness.Metrics.Of("vigil_notifications_total"));
    }

    [Fact]
    public void Dispose_ContainerDisposedSynchronously_StopsWithoutThrowing()
    {
        var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { ["Vigil:Alerting:Webhook:Url"] = "http://127.0.0.1:9/hook" }).Build())
            .AddVigilNotifiers()
            .BuildServiceProvider();
        var dispatcher = provider.GetRequiredService<NotificationDispatcher>();
        Assert.Equal(["webhook"], dispatcher.Notifiers);

        provider.Dispose(); // a container disposed synchronously must not find an async-only disposable

        dispatcher.Publish(AlertChanges.Firing());
        Assert.Equal(0, dispatcher.Pending);
    }

    private static CaptureReply Success(string notifier) =>
        CaptureReply.Status(notifier == "pagerduty" ? HttpStatusCode.Accepted : HttpStatusCode.OK);

    private static async Task<(CaptureServer Server, NotificationHarness Harness)> StartAsync(
        string notifier, Func<int, CaptureReply> script, Dictionary<string, string?>? settings = null)
    {
        NotificationHarness? harness = null;
        var server = await CaptureServer.StartAsync(() => harness?.Time.GetUtcNow() ?? DateTimeOffset.UnixEpoch);
        server.Script = script;
        var configuration = new Dictionary<string, string?>(settings ?? []);
        switch (notifier)
        {
            case "webhook":
                configuration["Vigil:Alerting:Webhook:Url"] = server.Url.ToString();
                break;
            case "slack":
                configuration["Vigil:Alerting:Slack:WebhookUrl"] = server.Url.ToString();
                break;
            default:
                configuration["Vigil:Alerting:PagerDuty:RoutingKey"] = "R0123456789abcdef0123456789abcdef";
                configuration["Vigil:Alerting:PagerDuty:Url"] = server.Url.ToString();
                break;
        }

        harness = new NotificationHarness(configuration);
        return (server, harness);
    }

    // Both states delivered, then a minute more of fake time with nothing queued: no retry may deliver one again.
    private static async Task AssertDeliveredOnceInOrderAsync(NotificationHarness harness, CaptureServer server, string notifier, int expectedRequests)
    {
        await harness.UntilAsync(() => server.Delivered.Count >= 2, "both states are delivered", [server]);
        await SettleAsync(harness, server);

        Assert.Equal(["firing", "resolved"], server.Delivered.Select(body => StateOf(notifier, body)));
        Assert.Equal(expectedRequests, server.Requests.Count);
        Assert.Equal(2, harness.Count(notifier, "sent"));
        Assert.Equal(0, harness.Count(notifier, "failed"));
        Assert.Equal(0, harness.Count(notifier, "dropped"));
    }

    private static async Task SettleAsync(NotificationHarness harness, params CaptureServer[] servers)
    {
        for (var i = 0; i < 60; i++)
        {
            await harness.UntilAsync(() => harness.IsQuiet(servers), "the receivers are quiet", [], TimeSpan.Zero);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        Assert.Equal(0, harness.Dispatcher.Pending);
    }

    private static string StateOf(string notifier, JsonObject body) => notifier switch
    {
        "webhook" => body["status"]!.GetValue<string>(),
        "slack" => body["attachments"]![0]!["blocks"]![0]!["text"]!["text"]!.GetValue<string>().Contains("[RESOLVED]", StringComparison.Ordinal) ? "resolved" : "firing",
        _ => body["event_action"]!.GetValue<string>() == "resolve" ? "resolved" : "firing",
    };
}
