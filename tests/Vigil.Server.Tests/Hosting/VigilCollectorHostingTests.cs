using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Hosting;

/// <summary>
/// The collector hosted inside an ASP.NET Core app of the test's own, as any app would host it:
/// <c>AddVigilCollector</c>, <c>MapVigilCollector</c>, beside the app's own endpoint, with the app's own filter on it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class VigilCollectorHostingTests : IAsyncLifetime
{
    private readonly SqliteTestStore _store = new();

    public Task InitializeAsync() => _store.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task MapVigilCollector_InAPlainWebApplication_IngestsAndServesReportAndMetricsBesideTheAppsEndpoint()
    {
        await using var app = BuildApp(prefix: string.Empty);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };

        var record = TestRecords.Interaction(model: "gpt-4.1-mini", latencyMs: 250);
        record["feature"] = "checkout";
        record["input_tokens"] = 1000;
        record["output_tokens"] = 500;
        using (var response = await client.PostJsonAsync("v1/interactions", record))
        {
            await CollectorApi.AssertAcceptedAsync(response, 1);
            Assert.Equal("seen", Assert.Single(response.Headers.GetValues("X-App-Filter")));
        }

        await client.PostFeedbackAsync([TestRecords.Feedback(record["trace_id"]!.GetValue<string>(), "thumbs", 1)]);

        var report = await client.GetReportAsync();
        Assert.Equal(1, report["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(1, report["satisfaction"]!["total_feedbacks"]!.GetValue<long>());

        // The collector's own meter is the one /metrics exports: the catalog from the posted record, and the feedback.
        var samples = PrometheusSample.ParseAll(await client.GetStringAsync("metrics"));
        Assert.Equal(1, samples.Single(s => s.Name == "llm_requests_total" && s.Has(("model", "gpt-4.1-mini"), ("endpoint", "checkout"))).Value);
        Assert.Equal(1000, samples.Single(s => s.Name == "llm_tokens_total" && s.Has(("model", "gpt-4.1-mini"), ("token_type", "input"))).Value);
        Assert.Equal(1, samples.Single(s => s.Name == "llm_request_duration_seconds_count" && s.Has(("model", "gpt-4.1-mini"))).Value);
        Assert.Contains(samples, s => s.Name == "llm_cost_dollars_total" && s.Value > 0);
        Assert.Equal(1, samples.Single(s => s.Name == "user_feedback_total" && s.Has(("feedback_type", "thumbs_up"))).Value);

        Assert.Equal("hello from the app", await client.GetStringAsync("hello"));
        using var health = await client.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task MapVigilCollector_UnderAPrefixWithKeys_AnswersThereAndAsksForTheKeys()
    {
        await using var app = BuildApp(prefix: "/vigil", ("Vigil:Server:IngestKeys:0", "ingest-key"), ("Vigil:Server:ReadKeys:0", "read-key"));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };

        using (var post = new HttpRequestMessage(HttpMethod.Post, "vigil/v1/interactions") { Content = JsonContent.Create(TestRecords.Interaction()) })
        {
            post.Headers.Authorization = new("Bearer", "ingest-key");
            using var response = await client.SendAsync(post);
            await CollectorApi.AssertAcceptedAsync(response, 1);
        }

        using (var unauthorized = await client.GetAsync(new Uri("vigil/v1/report", UriKind.Relative)))
        {
            await CollectorApi.AssertProblemAsync(unauthorized, HttpStatusCode.Unauthorized);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "vigil/v1/report");
        request.Headers.Authorization = new("Bearer", "read-key");
        using var report = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await report.Content.ReadAsStringAsync())!["sla"]!["global"]!["requests"]!.GetValue<long>());

        using var outside = await client.GetAsync(new Uri("v1/report", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    private WebApplication BuildApp(string prefix, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Vigil:Server:DataDirectory"] = _store.DataDirectory }
                .Concat(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))));
        builder.Services.AddVigilCollector(builder.Configuration);

        // The app's own JSON style (here PascalCase) must not change the contract's bodies.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = null);

        var app = builder.Build();
        app.MapGet("/hello", () => "hello from the app");
        app.MapVigilCollector(prefix).AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers["X-App-Filter"] = "seen";
            return await next(context);
        });
        return app;
    }
}
