using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>The collector's HTTP API as the tests call it, asserting what every answer must look like.</summary>
public static class CollectorApi
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Posts <paramref name="body"/> as application/json.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body) =>
        client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>Posts interactions in batches of at most 1000, asserting each is accepted in full.</summary>
    public static async Task PostInteractionsAsync(this HttpClient client, IReadOnlyList<JsonObject> records)
    {
        for (var start = 0; start < records.Count; start += 1000)
        {
            var batch = records.Skip(start).Take(1000).ToList();
            using var response = await client.PostJsonAsync("v1/interactions", TestRecords.InteractionBatch(batch));
            await AssertAcceptedAsync(response, batch.Count);
        }
    }

    /// <summary>Posts feedback as one batch, asserting it is accepted in full.</summary>
    public static async Task PostFeedbackAsync(this HttpClient client, IReadOnlyList<JsonObject> records)
    {
        using var response = await client.PostJsonAsync("v1/feedback", TestRecords.FeedbackBatch(records));
        await AssertAcceptedAsync(response, records.Count);
    }

    /// <summary>Asserts a 202 with exactly <c>{"accepted": n}</c>.</summary>
    public static async Task AssertAcceptedAsync(HttpResponseMessage response, int accepted)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["accepted"] = accepted }, JsonNode.Parse(text)), $"Expected {{\"accepted\":{accepted}}}, got {text}");
    }

    /// <summary>GETs <paramref name="path"/>, asserts 200 with a JSON body and returns it.</summary>
    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The report (<c>GET /v1/report</c>, with an optional query such as <c>?from=..&amp;to=..</c>).</summary>
    public static Task<JsonObject> GetReportAsync(this HttpClient client, string query = "") => client.GetJsonAsync("v1/report" + query);

    /// <summary>The interaction with its feedback and evaluations.</summary>
    public static Task<JsonObject> GetInteractionAsync(this HttpClient client, string traceId) =>
        client.GetJsonAsync("v1/interactions/" + Uri.EscapeDataString(traceId));

    /// <summary>The status of <c>GET /v1/interactions/{traceId}</c>.</summary>
    public static async Task<HttpStatusCode> GetInteractionStatusAsync(this HttpClient client, string traceId)
    {
        using var response = await client.GetAsync(new Uri("v1/interactions/" + Uri.EscapeDataString(traceId), UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>Asserts an RFC 9457 problem with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.True(IsProblemJson(response.Content.Headers.ContentType), $"Expected {ProblemJson}, got '{response.Content.Headers.ContentType}': {text}");
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), $"The problem has no title: {text}");
        // The contract's trace_id names an interaction; ASP.NET's request id must not pose as one.
        Assert.False(problem.ContainsKey("trace_id"), $"The problem carries a 'trace_id' that is not an interaction's: {text}");
        return problem;
    }

    /// <summary>True for <c>application/problem+json</c>.</summary>
    public static bool IsProblemJson(MediaTypeHeaderValue? contentType) =>
        string.Equals(contentType?.MediaType, ProblemJson, StringComparison.OrdinalIgnoreCase);

    /// <summary>The fields a problem's <c>errors</c> name, with their batch index (null for a single record or a query).</summary>
    public static IReadOnlyList<(int? Index, string Field)> ErrorFields(JsonObject problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var errors = problem["errors"]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"The problem has no errors[]: {problem.ToJsonString()}");
        return [.. errors.Select(e => (e!["index"]?.GetValue<int>(), e["field"]!.GetValue<string>()))];
    }
}
