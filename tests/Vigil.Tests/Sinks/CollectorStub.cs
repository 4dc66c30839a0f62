using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Tests.Sinks;

/// <summary>
/// The collector as the sink's HTTP client sees it, in memory: the primary handler under the client's resilience
/// handler. It keeps every request it is sent and answers with <see cref="Answer"/> (default 202 for the whole batch).
/// </summary>
public sealed class CollectorStub : HttpMessageHandler
{
    private int _count;

    /// <summary>Every request, in the order received (retries included).</summary>
    public ConcurrentQueue<CollectorStubRequest> Requests { get; } = new();

    /// <summary>The answer to a request, given the request and its number (0 for the first).</summary>
    public Func<CollectorStubRequest, int, Task<HttpResponseMessage>> Answer { get; set; } = (request, _) => Task.FromResult(Accepted(request.Count));

    /// <summary>The trace ids (or feedback comments when none) of the requests answered 2xx, in order.</summary>
    public ConcurrentQueue<string> Delivered { get; } = new();

    /// <summary>202 <c>{"accepted": n}</c>.</summary>
    public static HttpResponseMessage Accepted(int count) =>
        new(HttpStatusCode.Accepted) { Content = new StringContent($"{{\"accepted\":{count}}}", Encoding.UTF8, "application/json") };

    /// <summary>A problem+json answer with <paramref name="status"/>, and the collector's <c>accepted</c> and <c>errors</c> when given.</summary>
    public static HttpResponseMessage Problem(HttpStatusCode status, string title, int? accepted = null, params (int Index, string Field, string Message)[] errors)
    {
        var problem = new JsonObject { ["status"] = (int)status, ["title"] = title, ["detail"] = "a detail" };
        if (accepted is not null)
        {
            problem["accepted"] = accepted;
        }

        if (errors.Length > 0)
        {
            problem["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["index"] = e.Index, ["field"] = e.Field, ["message"] = e.Message })]);
        }

        return new(status) { Content = new StringContent(problem.ToJsonString(), Encoding.UTF8, "application/problem+json") };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var received = new CollectorStubRequest(
            request.RequestUri!,
            body,
            request.Content.Headers.ContentType?.MediaType,
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
            request.Headers.Authorization?.ToString());
        Requests.Enqueue(received);
        var response = await Answer(received, Interlocked.Increment(ref _count) - 1).WaitAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            foreach (var id in received.Ids)
            {
                Delivered.Enqueue(id);
            }
        }

        return response;
    }
}
