using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Hosting;

/// <summary>
/// <c>vigil serve</c> as a process of its own, killed with SIGKILL in the middle of a steady ingest from several
/// clients, then restarted on the same store: every trace_id it acknowledged with 202 must be there.
/// </summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class DurabilityTests<TStore>(ITestOutputHelper output) : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    private const int Clients = 4;
    private const int BatchSize = 10;
    private const int TargetAcknowledged = 3000;

    protected override bool StartsCollector => false;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Serve_KilledMidIngest_KeepsEveryAcknowledgedRecord(int round)
    {
        var acknowledged = new ConcurrentBag<string>();
        var rejected = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var server = await VigilCliProcess.StartAsync(Store.ServeArguments);
        var started = clock.Elapsed;
        int sent;
        await using (server)
        {
            using var stop = new CancellationTokenSource();
            var sentCounter = 0;
            var senders = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                using var http = server.CreateClient();
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var records = Enumerable.Range(0, BatchSize)
                        .Select(i => TestRecords.Interaction($"r{round}-c{client}-b{batch}-i{i}-{Guid.NewGuid():N}", latencyMs: 10 + i))
                        .ToList();
                    Interlocked.Add(ref sentCounter, records.Count);
                    try
                    {
                        using var response = await http.PostJsonAsync("v1/interactions", TestRecords.InteractionBatch(records));
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            records.ForEach(r => acknowledged.Add(r["trace_id"]!.GetValue<string>()));
                        }
                        else
                        {
                            rejected.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();

            // Let the ingest run, then kill the server under it: once a few thousand records are acknowledged (so the check
            // of each one stays quick), or after two seconds on a slow machine if the first ones are through by then.
            var ingest = Stopwatch.StartNew();
            while (acknowledged.Count < TargetAcknowledged
                && (ingest.Elapsed < TimeSpan.FromSeconds(2) || acknowledged.IsEmpty)
                && ingest.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            var ackedBeforeKill = acknowledged.Count;
            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(senders);
            sent = sentCounter;
            Assert.True(server.HasExited);
            Assert.True(ackedBeforeKill > 0, $"Nothing was acknowledged before the kill; server output:{Environment.NewLine}{server.Output}");
            Assert.True(rejected.IsEmpty, $"Requests were refused before the kill: {string.Join("; ", rejected.Take(5))}");
        }

        var killedAt = clock.Elapsed;
        await using var restarted = await VigilCliProcess.StartAsync(Store.ServeArguments);
        using var client = restarted.CreateClient();
        var ids = acknowledged.ToArray();
        var missing = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            using var response = await client.GetAsync(new Uri("v1/interactions/" + id, UriKind.Relative), ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                missing.Enqueue($"{id} ({(int)response.StatusCode})");
            }
        });

        var now = DateTimeOffset.UtcNow;
        JsonObject scan = await client.GetReportAsync($"?from={Uri.EscapeDataString(TestRecords.Rfc3339(now.AddHours(-1)))}&to={Uri.EscapeDataString(TestRecords.Rfc3339(now.AddMinutes(1)))}");
        JsonObject window = await client.GetReportAsync();
        var stored = scan["sla"]!["global"]!["requests"]!.GetValue<long>();
        output.WriteLine($"round {round}: started in {started.TotalSeconds:F2} s, killed at {killedAt.TotalSeconds:F2} s; sent {sent}, acknowledged {ids.Length}, "
            + $"stored {stored}, window {window["sla"]!["global"]!["requests"]}; verified in {clock.Elapsed.TotalSeconds:F2} s");

        Assert.True(missing.IsEmpty, $"{missing.Count} of {ids.Length} acknowledged records are missing after the restart, e.g. {string.Join(", ", missing.Take(10))}");
        Assert.InRange(stored, ids.Length, sent);
        Assert.Equal(stored, window["sla"]!["global"]!["requests"]!.GetValue<long>());
    }
}
