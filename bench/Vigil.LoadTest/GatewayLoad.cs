using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.LoadTest;

/// <summary>
/// <c>gateway</c>: the gateway's added latency, side by side in one run. Hosts an upstream that answers at once (a chat
/// completion, or an SSE stream with usage), starts <c>vigil serve --gateway</c> on it as a process of its own, and sends
/// open-loop requests at a fixed rate, alternating direct to the upstream and through the gateway, on the same kind of
/// connections. Prints latency percentiles (the whole answer; for streams the first body byte) of both and their
/// difference, the gateway's own time from its <c>vigil_gateway_overhead_seconds</c> histogram, and the gateway
/// process's memory over the run.
/// </summary>
public static class GatewayLoad
{
    private const string Completion = """{"id":"c1","object":"chat.completion","created":1700000000,"model":"gpt-4.1-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Paris is the capital of France."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20}}""";

    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(
        """data: {"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4.1-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Paris"},"finish_reason":null}]}""" + "\n\n" +
        """data: {"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4.1-mini","choices":[{"index":0,"delta":{"content":" is the capital."},"finish_reason":"stop"}]}""" + "\n\n" +
        """data: {"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4.1-mini","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20}}""" + "\n\n" +
        "data: [DONE]\n\n");

    public sealed record Settings(string Vigil, double Rate, TimeSpan Duration, TimeSpan Warmup, bool Streaming, int Connections);

    public static async Task<int> RunAsync(Settings s)
    {
        var (upstream, upstreamUrl) = await StartUpstreamAsync();
        await using var upstreamApp = upstream;
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("vigil-gateway-load-");
        var start = new ProcessStartInfo(s.Vigil) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "serve", "--gateway", upstreamUrl + "/v1", "--urls", $"http://127.0.0.1:{port}", "--data", data.FullName })
        {
            start.ArgumentList.Add(a);
        }

        using var gateway = Process.Start(start)!;
        _ = gateway.StandardOutput.ReadToEndAsync();
        _ = gateway.StandardError.ReadToEndAsync();
        try
        {
            var gatewayUrl = $"http://127.0.0.1:{port}";
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = s.Connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
            await WaitHealthyAsync(client, gatewayUrl);
            Console.Error.WriteLine($"gateway: upstream {upstreamUrl}, vigil serve --gateway on {gatewayUrl} (pid {gateway.Id}); " +
                                    $"{(s.Streaming ? "streaming" : "JSON")} at {s.Rate:N0} requests/s for {s.Duration.TotalSeconds:N0} s after {s.Warmup.TotalSeconds:N0} s warm-up");
            var body = Encoding.UTF8.GetBytes(s.Streaming
                ? """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"What is the capital of France?"}]}"""
                : """{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"What is the capital of France?"}]}""");

            var memory = new List<(double Seconds, long RssKiB)>();
            var direct = new List<double>();
            var through = new List<double>();
            var errors = 0;
            var clock = Stopwatch.StartNew();
            var total = s.Warmup + s.Duration;
            var interval = TimeSpan.FromSeconds(1 / s.Rate);
            var tasks = new List<Task>();
            long sent = 0;
            var nextMemory = TimeSpan.Zero;
            while (clock.Elapsed < total)
            {
                var due = TimeSpan.FromTicks(interval.Ticks * sent);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }

                if (clock.Elapsed >= nextMemory)
                {
                    memory.Add((clock.Elapsed.TotalSeconds, Rss(gateway.Id)));
                    nextMemory += TimeSpan.FromSeconds(10);
                }

                var viaGateway = (sent & 1) == 1;
                var measured = due >= s.Warmup;
                sent++;
                tasks.Add(Task.Run(async () =>
                {
                    var latency = await SendAsync(client, (viaGateway ? gatewayUrl : upstreamUrl) + "/v1/chat/completions", body, s.Streaming);
                    if (!measured)
                    {
                        return;
                    }

                    lock (direct)
                    {
                        if (latency is null)
                        {
                            errors++;
                        }
                        else
                        {
                            (viaGateway ? through : direct).Add(latency.Value);
                        }
                    }
                }));
                if (tasks.Count > 4096)
                {
                    tasks.RemoveAll(t => t.IsCompleted);
                }
            }

            await Task.WhenAll(tasks);
            memory.Add((clock.Elapsed.TotalSeconds, Rss(gateway.Id)));
            var metrics = await client.GetStringAsync(gatewayUrl + "/metrics");
            Print(s, direct, through, errors, Overhead(metrics), memory);
            return errors == 0 ? 0 : 1;
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
            data.Delete(recursive: true);
        }
    }

    // Milliseconds to the whole answer (JSON) or to the first body byte (a stream); null on a failure.
    private static async Task<double?> SendAsync(HttpClient client, string url, byte[] body, bool streaming)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            using var response = await client.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            if (!streaming)
            {
                await response.Content.ReadAsByteArrayAsync();
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1];
            _ = await stream.ReadAsync(buffer);
            var ttfb = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await stream.CopyToAsync(System.IO.Stream.Null);
            return ttfb;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static void Print(Settings s, List<double> direct, List<double> through, int errors, (double P50, double P99, long Count)? overhead,
        List<(double Seconds, long RssKiB)> memory)
    {
        direct.Sort();
        through.Sort();
        double Q(List<double> v, double q) => v.Count == 0 ? double.NaN : v[Math.Min(v.Count - 1, (int)Math.Ceiling(q * v.Count) - 1)];
        var c = CultureInfo.InvariantCulture;
        var what = s.Streaming ? "time to first byte" : "whole answer";
        Console.WriteLine(string.Create(c, $"| {(s.Streaming ? "streaming" : "JSON")} ({what}), {s.Rate:N0} req/s | n | p50 ms | p90 ms | p99 ms |"));
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(c, $"| direct to the upstream | {direct.Count} | {Q(direct, 0.5):0.000} | {Q(direct, 0.9):0.000} | {Q(direct, 0.99):0.000} |"));
        Console.WriteLine(string.Create(c, $"| through the gateway | {through.Count} | {Q(through, 0.5):0.000} | {Q(through, 0.9):0.000} | {Q(through, 0.99):0.000} |"));
        Console.WriteLine(string.Create(c, $"| added by the gateway | | {Q(through, 0.5) - Q(direct, 0.5):0.000} | {Q(through, 0.9) - Q(direct, 0.9):0.000} | {Q(through, 0.99) - Q(direct, 0.99):0.000} |"));
        if (overhead is { } o)
        {
            Console.WriteLine(string.Create(c, $"\nvigil_gateway_overhead_seconds over {o.Count} calls (warm-up included; from its buckets): p50 ≈ {o.P50 * 1e6:0} µs, p99 ≈ {o.P99 * 1e6:0} µs"));
        }

        Console.WriteLine(string.Create(c, $"errors: {errors}; gateway RSS (MiB) every 10 s: {string.Join(", ", memory.Select(m => (m.RssKiB / 1024.0).ToString("0", c)))}"));
    }

    // Quantiles of the overhead histogram, interpolated in its buckets as Prometheus's histogram_quantile does.
    private static (double P50, double P99, long Count)? Overhead(string metrics)
    {
        var buckets = new List<(double Le, double Count)>();
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith("vigil_gateway_overhead_seconds_bucket", StringComparison.Ordinal))
            {
                continue;
            }

            var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
            le = le[..le.IndexOf('"', StringComparison.Ordinal)];
            var count = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            buckets.Add((le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), count));
        }

        if (buckets.Count == 0 || buckets[^1].Count == 0)
        {
            return null;
        }

        buckets.Sort((a, b) => a.Le.CompareTo(b.Le));
        double Quantile(double q)
        {
            var rank = q * buckets[^1].Count;
            var (lower, below) = (0.0, 0.0);
            foreach (var (le, count) in buckets)
            {
                if (count >= rank)
                {
                    return double.IsInfinity(le) ? lower : lower + (le - lower) * ((rank - below) / Math.Max(1, count - below));
                }

                (lower, below) = (le, count);
            }

            return lower;
        }

        return (Quantile(0.5), Quantile(0.99), (long)buckets[^1].Count);
    }

    private static async Task<(WebApplication App, string Url)> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var completion = Encoding.UTF8.GetBytes(Completion);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var streaming = false;
            using (var reader = new StreamReader(context.Request.Body))
            {
                streaming = (await reader.ReadToEndAsync()).Contains("\"stream\":true", StringComparison.Ordinal);
            }

            context.Response.ContentType = streaming ? "text/event-stream" : "application/json";
            await context.Response.Body.WriteAsync(streaming ? Stream : completion);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, address.TrimEnd('/'));
    }

    private static async Task WaitHealthyAsync(HttpClient client, string url)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await client.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"vigil serve did not answer on {url} within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static long Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
