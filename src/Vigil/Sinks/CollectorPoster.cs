using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Vigil.Sinks;

/// <summary>
/// Posts one batch to the collector and reads its answer. Retries with backoff and <c>Retry-After</c> happen in the
/// named client's resilience handler; a batch it hands back unsent (its attempts or its time ran out) is posted again
/// after <see cref="CollectorOptions.MaxRetryDelay"/>, with the same <c>Idempotency-Key</c>, until the collector
/// answers for it or sending is cancelled. A 4xx other than 408 and 429 settles the batch: its records are dropped.
/// Neither the API key nor any record's content is ever logged.
/// </summary>
internal sealed partial class CollectorPoster(IHttpClientFactory httpClientFactory, CollectorOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The header that names a batch across its retries, so the collector stores it once.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxProblemBytes = 64 * 1024;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Uri _endpoint = options.EndpointUri ?? throw new ArgumentException("No collector endpoint is configured.", nameof(options));

    /// <summary>The collector's scheme, host and port, for logs (never user info).</summary>
    public string Collector => _endpoint.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    /// <summary>Sends <paramref name="batch"/>, counting into <paramref name="tally"/>; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async Task PostAsync<T>(CollectorLane<T> lane, IReadOnlyList<T> batch, BatchTally tally, CancellationToken cancellationToken)
        where T : class
    {
        var items = new List<byte[]>(batch.Count);
        foreach (var record in batch)
        {
            try
            {
                items.Add(JsonSerializer.SerializeToUtf8Bytes(record, lane.Json));
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                tally.Invalid++; // e.g. a NaN latency: the collector would refuse it too
            }
        }

        if (tally.Invalid > 0)
        {
            LogInvalid(logger, tally.Invalid, lane.Name);
        }

        await PostAsync(lane, items, 0, items.Count, tally, cancellationToken).ConfigureAwait(false);
    }

    private async Task PostAsync<T>(CollectorLane<T> lane, List<byte[]> items, int start, int count, BatchTally tally, CancellationToken cancellationToken)
        where T : class
    {
        if (count == 0)
        {
            return;
        }

        var body = Body(lane.BatchProperty, items, start, count);
        var key = Guid.NewGuid().ToString("D");
        var uri = new Uri(_endpoint, lane.Path);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;
                request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, key);
                if (!string.IsNullOrEmpty(options.ApiKey))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
                }

                using var client = httpClientFactory.CreateClient(CollectorSink.HttpClientName);
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    tally.Accepted += count;
                    return;
                }

                if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge && count > 1)
                {
                    // Nothing of it was stored: send each half under a key of its own.
                    LogSplit(logger, count, lane.Name);
                    var half = count / 2;
                    await PostAsync(lane, items, start, half, tally, cancellationToken).ConfigureAwait(false);
                    await PostAsync(lane, items, start + half, count - half, tally, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (status is >= 500 or 408 or 429)
                {
                    failure = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    var (accepted, title, fields) = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
                    var stored = Math.Clamp(accepted ?? 0, 0, count);
                    tally.Accepted += stored;
                    tally.Rejected += count - stored;
                    LogRejected(logger, Collector, count - stored, count, lane.Name, status, title ?? response.ReasonPhrase ?? "", fields);
                    return;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                && ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException)
            {
                failure = ex.GetType().Name; // the message may name the URL; the type says enough
            }

            LogRetryingBatch(logger, count, lane.Name, Collector, failure, options.MaxRetryDelay);
            await Task.Delay(options.MaxRetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] Body(string property, List<byte[]> items, int start, int count)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"{property}\":[");
        ReadOnlySpan<byte> tail = "]}"u8;
        var length = head.Length + tail.Length + (count - 1);
        for (var i = start; i < start + count; i++)
        {
            length += items[i].Length;
        }

        var body = new byte[length];
        head.CopyTo(body, 0);
        var at = head.Length;
        for (var i = start; i < start + count; i++)
        {
            if (i > start)
            {
                body[at++] = (byte)',';
            }

            items[i].CopyTo(body, at);
            at += items[i].Length;
        }

        tail.CopyTo(body.AsSpan(at));
        return body;
    }

    // The collector's problem+json: how many records it stored, its title, and which fields of which records it refused
    // (names and indexes only: messages may quote values).
    private static async Task<(int? Accepted, string? Title, string Fields)> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxProblemBytes];
                var read = 0;
                int n;
                while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    read += n;
                }

                using var problem = JsonDocument.Parse(buffer.AsMemory(0, read));
                var root = problem.RootElement;
                int? accepted = root.TryGetProperty("accepted", out var a) && a.TryGetInt32(out var value) ? value : null;
                var title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var fields = new List<string>();
                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    foreach (var error in errors.EnumerateArray().Take(10))
                    {
                        var index = error.TryGetProperty("index", out var i) && i.TryGetInt32(out var at) ? $"[{at}]." : "";
                        var field = error.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                        fields.Add(index + (field ?? "?"));
                    }
                }

                return (accepted, title, string.Join(", ", fields));
            }
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return (null, null, "");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The collector at {Collector} refused {Rejected} of {Count} {Record} record(s) with {Status} ({Title}); they are dropped, not retried. Fields: {Fields}")]
    private static partial void LogRejected(ILogger logger, string collector, int rejected, int count, string record, int status, string title, string fields);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Count} {Record} record(s) to {Collector} failed ({Failure}); trying again in {Delay}.")]
    private static partial void LogRetryingBatch(ILogger logger, int count, string record, string collector, string failure, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} {Record} record(s) could not be written as JSON and are dropped.")]
    private static partial void LogInvalid(ILogger logger, int count, string record);

    [LoggerMessage(Level = LogLevel.Information, Message = "The collector refused a body of {Count} {Record} records as too large (413); sending it in halves.")]
    private static partial void LogSplit(ILogger logger, int count, string record);
}
