using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Security;

/// <summary>A collector with an ingest key "ik" and a read key "rk": who may do what.</summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class ApiKeyTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    private const string IngestKey = "ik";
    private const string ReadKey = "rk";

    [Theory]
    [InlineData("POST", "v1/interactions", KeyHeader.None, null, HttpStatusCode.Unauthorized)]
    [InlineData("POST", "v1/feedback", KeyHeader.None, null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "v1/report", KeyHeader.None, null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "metrics", KeyHeader.None, null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "v1/interactions/abc", KeyHeader.None, null, HttpStatusCode.Unauthorized)]
    [InlineData("POST", "v1/interactions", KeyHeader.Bearer, "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "v1/report", KeyHeader.XApiKey, "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("POST", "v1/interactions", KeyHeader.Bearer, "rk", HttpStatusCode.Forbidden)]
    [InlineData("POST", "v1/feedback", KeyHeader.XApiKey, "rk", HttpStatusCode.Forbidden)]
    [InlineData("GET", "v1/report", KeyHeader.Bearer, "ik", HttpStatusCode.Forbidden)]
    [InlineData("GET", "v1/report", KeyHeader.XApiKey, "ik", HttpStatusCode.Forbidden)]
    [InlineData("GET", "metrics", KeyHeader.Bearer, "ik", HttpStatusCode.Forbidden)]
    [InlineData("GET", "v1/interactions/abc", KeyHeader.Bearer, "ik", HttpStatusCode.Forbidden)]
    [InlineData("GET", "v1/alerts", KeyHeader.None, null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "v1/alerts", KeyHeader.Bearer, "ik", HttpStatusCode.Forbidden)]
    public async Task Request_MissingOrWrongKey_IsRefusedWithProblem(string method, string path, KeyHeader header, string? key, HttpStatusCode expected)
    {
        using var request = Request(method, path, header, key);

        using var response = await Client.SendAsync(request);

        await CollectorApi.AssertProblemAsync(response, expected);
        var report = await ReadReportAsync();
        Assert.Equal(0, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(0, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("POST", "v1/interactions", KeyHeader.Bearer, "ik", HttpStatusCode.Accepted)]
    [InlineData("POST", "v1/interactions", KeyHeader.XApiKey, "ik", HttpStatusCode.Accepted)]
    [InlineData("POST", "v1/feedback", KeyHeader.Bearer, "ik", HttpStatusCode.Accepted)]
    [InlineData("POST", "v1/feedback", KeyHeader.XApiKey, "ik", HttpStatusCode.Accepted)]
    [InlineData("GET", "v1/report", KeyHeader.Bearer, "rk", HttpStatusCode.OK)]
    [InlineData("GET", "v1/report", KeyHeader.XApiKey, "rk", HttpStatusCode.OK)]
    [InlineData("GET", "metrics", KeyHeader.Bearer, "rk", HttpStatusCode.OK)]
    [InlineData("GET", "metrics", KeyHeader.XApiKey, "rk", HttpStatusCode.OK)]
    [InlineData("GET", "v1/alerts", KeyHeader.Bearer, "rk", HttpStatusCode.OK)]
    [InlineData("GET", "healthz", KeyHeader.None, null, HttpStatusCode.OK)]
    public async Task Request_KeyOfTheRightScope_IsLetIn(string method, string path, KeyHeader header, string? key, HttpStatusCode expected)
    {
        using var request = Request(method, path, header, key);

        using var response = await Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task PostInteractions_IngestKey_IsStoredAndReadableWithTheReadKey()
    {
        var record = TestRecords.Interaction();
        var traceId = record["trace_id"]!.GetValue<string>();
        using (var post = Request("POST", "v1/interactions", KeyHeader.Bearer, IngestKey))
        {
            post.Content = new StringContent(record.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await Client.SendAsync(post);
            await CollectorApi.AssertAcceptedAsync(response, 1);
        }

        using var get = Request("GET", "v1/interactions/" + traceId, KeyHeader.XApiKey, ReadKey);
        using var found = await Client.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(1, (await ReadReportAsync())["sla"]!["global"]!["requests"]!.GetValue<long>());
    }

    protected override void Configure(VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IngestKeys.Add(IngestKey);
        options.ReadKeys.Add(ReadKey);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> ReadReportAsync()
    {
        using var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReadKey);
        return await client.GetReportAsync();
    }

    private static HttpRequestMessage Request(string method, string path, KeyHeader header, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method == "POST")
        {
            var body = path.EndsWith("feedback", StringComparison.Ordinal)
                ? TestRecords.Feedback(null, "nps", 9)
                : TestRecords.Interaction();
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        switch (header)
        {
            case KeyHeader.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                break;
            case KeyHeader.XApiKey:
                request.Headers.Add("X-Api-Key", key);
                break;
        }

        return request;
    }
}
