using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Ingest;

/// <summary>
/// Thousands of malformed and hostile bodies (<see cref="HostileBodies"/>) posted in parallel: a bad request never gets
/// a 5xx, every 4xx is problem+json, and the collector still answers afterwards.
/// </summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class HostileBodyTests<TStore>(ITestOutputHelper output) : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int Minimum = 10_000;

    [Fact]
    public async Task PostHostileBodies_TenThousandInParallel_NeverAnswer5xxAndEvery4xxIsProblemJson()
    {
        var bodies = HostileBodies.Generate(seed: 20_251_128, Minimum, MaxBodyBytes);
        Assert.True(bodies.Count >= Minimum, $"Only {bodies.Count} bodies");
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<string, int>();
        var accepted = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        using var client = Host.CreateClient();

        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (body, ct) =>
        {
            var outcome = await SendAsync(client, body, ct);
            statuses.AddOrUpdate($"{body.Kind} {outcome}", 1, (_, n) => n + 1);
            if (outcome.Tally == "202" && body.Kind is not ("wrong-type" or "wrong-type-batch" or "mutated") && accepted.Count < 200)
            {
                accepted.Enqueue($"{body.Kind} -> {body.Path}: {Preview(body.Body)}");
            }

            if (outcome.Failure is { } failure)
            {
                failures.Enqueue($"{body.Kind} -> {body.Path} ({body.Body.Length} bytes, {body.ContentType}): {failure}; body starts {Preview(body.Body)}");
            }
        });

        clock.Stop();
        output.WriteLine($"{bodies.Count} bodies in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var (kind, count) in statuses.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,6} {kind}");
        }

        output.WriteLine("Some accepted bodies:");
        foreach (var line in accepted.Take(80))
        {
            output.WriteLine(line);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} of {bodies.Count} bodies were answered badly:{Environment.NewLine}"
            + string.Join(Environment.NewLine, failures.Take(30)) + Environment.NewLine + "Collector log:" + Environment.NewLine + Host.Logs);

        // Still alive and still right.
        using (var health = await Client.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var record = TestRecords.Interaction();
        await Client.PostInteractionsAsync([record]);
        Assert.Equal(HttpStatusCode.OK, await Client.GetInteractionStatusAsync(record["trace_id"]!.GetValue<string>()));
        var report = await Client.GetReportAsync();
        Assert.True(report["sla"]!["global"]!["requests"]!.GetValue<long>() >= 1);
        using var metrics = await Client.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    protected override void Configure(VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxBodyBytes = MaxBodyBytes;
    }

    private static async Task<Outcome> SendAsync(HttpClient client, HostileBody body, CancellationToken cancellationToken)
    {
        HttpContent content = body.Chunked ? new ChunkedContent(body.Body) : new ByteArrayContent(body.Body);
        if (body.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(body.Path, UriKind.Relative)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (body.IsOversized)
        {
            // The server may answer 413 and close the connection while the client is still sending.
            return new Outcome("connection closed on oversized body", null, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome("transport error", $"no answer: {ex.Message} {ex.InnerException?.Message}", null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (status >= 500)
            {
                return new Outcome(status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{status}: {text}", null);
            }

            if (status >= 400)
            {
                if (!CollectorApi.IsProblemJson(response.Content.Headers.ContentType))
                {
                    return new Outcome($"{status} not problem+json", $"{status} with Content-Type '{response.Content.Headers.ContentType}': {text}", null);
                }

                try
                {
                    using var problem = JsonDocument.Parse(text);
                    if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status)
                    {
                        return new Outcome($"{status} bad problem", $"{status} problem without a matching status: {text}", null);
                    }

                    if (problem.RootElement.TryGetProperty("trace_id", out _))
                    {
                        return new Outcome($"{status} bad problem", $"{status} problem with a 'trace_id' that is the request id: {text}", null);
                    }
                }
                catch (JsonException)
                {
                    return new Outcome($"{status} bad problem", $"{status} problem+json that is not JSON: {text}", null);
                }

                if (body.IsOversized && status != 413)
                {
                    return new Outcome($"{status}", $"an oversized body got {status}, not 413: {text}", null);
                }

                return new Outcome(status.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null);
            }

            if (status != 202)
            {
                return new Outcome(status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"unexpected {status}: {text}", null);
            }

            return new Outcome("202", body.IsOversized || body.MustReject ? $"a body that must be rejected was accepted: {text}" : null, null);
        }
    }

    private static string Preview(byte[] body) =>
        body.Length == 0 ? "(empty)" : Convert.ToHexString(body.AsSpan(0, Math.Min(24, body.Length))) + " '" + System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(300, body.Length))) + "'";

    private readonly record struct Outcome(string Tally, string? Failure, string? Note)
    {
        public override string ToString() => Tally;
    }

    /// <summary>A body sent without Content-Length (chunked transfer).</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < body.Length; at += 8192)
            {
                await stream.WriteAsync(body.AsMemory(at, Math.Min(8192, body.Length - at)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
