using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.ChatClients;
using Vigil.Feedback;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Sinks;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Sinks;

/// <summary>
/// An app (a host with <c>AddVigil()</c>, <c>AddVigilCollectorSink()</c>, a chat client with <c>UseVigil()</c> and
/// <see cref="VigilFeedback"/>) sends a steady stream of calls and feedback to a real <c>vigil serve</c> process, which
/// is killed (SIGKILL) a third of the way through and started again on the same data directory and port while the app
/// keeps sending; then the app's host stops (the sink sends the rest) and the figures are taken. Run once for the
/// tests that check them.
/// </summary>
public sealed class CollectorRestartScenario : IAsyncLifetime
{
    /// <summary>Calls the app makes at least (it goes on until the restarted collector has had a second of traffic).</summary>
    public const int MinimumCalls = 2400;

    private const int CallsPerTick = 6;

    /// <summary>The collector's data directory, the same before and after the kill.</summary>
    public SqliteTestStore Store { get; } = new();

    /// <summary>The collector after its restart (running until the fixture is disposed).</summary>
    public VigilCliProcess Collector { get; private set; } = null!;

    /// <summary>Every trace id the app's calls were recorded under, in order.</summary>
    public List<string> TraceIds { get; } = [];

    /// <summary>How many feedback records the app gave each trace id (all its feedback names one).</summary>
    public Dictionary<string, int> FeedbackPerTrace { get; } = new(StringComparer.Ordinal);

    /// <summary>The sink's drop count and pending records once the host stopped.</summary>
    public (long Dropped, int Pending) SinkAtEnd { get; private set; }

    /// <summary><c>GET /v1/report</c> over the whole run (a scan of the store) and of the live window, right after the run.</summary>
    public (JsonObject Scan, JsonObject Window) Reports { get; private set; }

    /// <summary>What happened when, for the test output.</summary>
    public ConcurrentQueue<string> Timeline { get; } = new();

    /// <summary>The app's warnings and errors (retries while the collector was away).</summary>
    public CapturedLogs AppLogs { get; } = new();

    public async Task InitializeAsync()
    {
        await Store.CreateAsync();
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var first = await VigilCliProcess.StartAsync(Store.ServeArguments);
        await using (first)
        {
            Note(clock, $"collector started at {first.Address}");
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Vigil:Collector:Endpoint"] = first.Address.AbsoluteUri,
                ["Vigil:Collector:BatchSize"] = "50",
                ["Vigil:Collector:FlushInterval"] = "00:00:00.050",
                ["Vigil:Collector:BufferCapacity"] = "100000",
                ["Vigil:Collector:RetryDelay"] = "00:00:00.050",
                ["Vigil:Collector:MaxRetryDelay"] = "00:00:00.500",
                ["Vigil:Collector:AttemptTimeout"] = "00:00:10",
                ["Vigil:Collector:ShutdownTimeout"] = "00:01:00",
            });
            builder.Logging.AddProvider(AppLogs);
            builder.Services.AddVigil();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(1));
            using var host = builder.Build();
            await host.StartAsync();
            var sink = host.Services.GetRequiredService<CollectorSink>();
            var feedback = host.Services.GetRequiredService<VigilFeedback>();
            using var chat = new ChatClientBuilder(FakeChatClient.Replying("Your order ships tomorrow morning.")).UseVigil().Build(host.Services);

            var sent = 0;
            var restartedAt = long.MaxValue; // ticks of the clock
            var sender = Task.Run(async () =>
            {
                while (sent < MinimumCalls || clock.Elapsed.Ticks < Interlocked.Read(ref restartedAt) + TimeSpan.TicksPerSecond)
                {
                    for (var k = 0; k < CallsPerTick; k++)
                    {
                        await CallAsync(chat, feedback, sent);
                        Interlocked.Increment(ref sent);
                    }

                    await Task.Delay(10);
                }
            });

            await WhileAsync(() => Volatile.Read(ref sent) < MinimumCalls / 3, sender);
            await first.KillAsync();
            var killedAt = clock.Elapsed;
            Note(clock, $"collector killed after {Volatile.Read(ref sent)} calls, {sink.Pending} records pending in the sink");

            await WhileAsync(() => Volatile.Read(ref sent) < 2 * MinimumCalls / 3 || clock.Elapsed < killedAt + TimeSpan.FromSeconds(1), sender);
            Note(clock, $"restarting the collector after {Volatile.Read(ref sent)} calls, {sink.Pending} records pending");
            Collector = await VigilCliProcess.StartAtAsync(first.Address, Store.ServeArguments);
            Interlocked.Exchange(ref restartedAt, clock.Elapsed.Ticks);
            Note(clock, $"collector answering again, {sink.Pending} records pending");

            await sender;
            Note(clock, $"app done after {sent} calls, {sink.Pending} records pending; stopping its host");
            await host.StopAsync();
            SinkAtEnd = (sink.Dropped, sink.Pending);
            Note(clock, $"host stopped: {sink.Dropped} dropped, {sink.Pending} pending");
        }

        using var client = Collector.CreateClient();
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        Reports = (
            await client.GetReportAsync($"?from={Uri.EscapeDataString(TestRecords.Rfc3339(started.AddMinutes(-1)))}&to={Uri.EscapeDataString(TestRecords.Rfc3339(to))}"),
            await client.GetReportAsync());
    }

    public async Task DisposeAsync()
    {
        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }

        await Store.DisposeAsync();
    }

    private async Task CallAsync(IChatClient chat, VigilFeedback feedback, int i)
    {
        var traceId = $"restart-{i:D5}";
        var options = new ChatOptions { ModelId = "gpt-4.1-mini" }.WithVigil(feature: "customer_service", userTier: "pro", userId: $"u-{i % 40}", traceId: traceId);
        await chat.GetResponseAsync("Where is my order?", options);
        TraceIds.Add(traceId);
        var given = 0;
        if (i % 3 == 0)
        {
            given += feedback.ThumbsUp(traceId, feature: "customer_service") ? 1 : 0;
        }

        if (i % 5 == 1)
        {
            given += feedback.Rating(traceId, 1 + (i % 5)) ? 1 : 0;
        }

        if (i % 7 == 2)
        {
            given += feedback.Csat(1 + (i % 5), traceId: traceId) ? 1 : 0;
            given += feedback.Nps(i % 11, traceId: traceId) ? 1 : 0;
        }

        if (given > 0)
        {
            FeedbackPerTrace[traceId] = given;
        }
    }

    // Waits while the condition holds, failing fast if the sender failed.
    private static async Task WhileAsync(Func<bool> condition, Task sender)
    {
        var timeout = Stopwatch.StartNew();
        while (condition())
        {
            if (sender.IsCompleted)
            {
                await sender; // its exception, if any
                return;
            }

            Assert.True(timeout.Elapsed < TimeSpan.FromMinutes(2), "The app's calls did not get there in two minutes.");
            await Task.Delay(5);
        }
    }

    private void Note(Stopwatch clock, string what) => Timeline.Enqueue($"{clock.Elapsed.TotalSeconds,6:F2} s  {what}");
}
