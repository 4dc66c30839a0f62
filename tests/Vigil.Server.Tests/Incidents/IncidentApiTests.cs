using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Incidents;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Sinks;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// The collector's incident responder through its API: escalation from posted signals within a few assess intervals,
/// manual overrides, the persisted log and its restore across a restart, bad bodies and the admin scope.
/// </summary>
public abstract class IncidentApiTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    private const string AdminKey = "ak";
    private const string ReadKey = "rk";
    private const string IngestKey = "ik";
    private static readonly TimeSpan AssessInterval = TimeSpan.FromMilliseconds(200);
    private CollectorHost? _host;

    protected override bool StartsCollector => false;

    private HttpClient Api => (_host ?? throw new InvalidOperationException("No collector.")).Client;

    public override async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    [Fact]
    public async Task GetIncident_FailuresPosted_EscalatesWithinAFewAssessIntervals()
    {
        await StartAsync();
        Assert.Equal("normal", (await Api.GetJsonAsync("v1/incident"))["mode"]!.GetValue<string>());

        await Api.PostInteractionsAsync(Traffic(calls: 40, failures: 6)); // success 85%: P0

        var state = await WaitForModeAsync("static_response", TimeSpan.FromSeconds(5));
        Assert.False(state["manual"]!.GetValue<bool>());
        Assert.Contains("success rate 85.0% < 90.0%", state["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(state["since"]);
        var report = await Api.GetReportAsync();
        Assert.Equal("static_response", report["incident"]!["mode"]!.GetValue<string>());
        var metrics = await Api.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains("llm_degradation_mode 3", metrics, StringComparison.Ordinal);
        var entry = Assert.Single((await Api.GetJsonAsync("v1/incidents"))["incidents"]!.AsArray());
        Assert.Equal("escalate", entry!["action"]!.GetValue<string>());
        Assert.Equal("critical", entry["severity"]!.GetValue<string>());
        Assert.Equal("static_response", entry["mode"]!.GetValue<string>());
        Assert.Equal("normal", entry["from_mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutIncident_OverrideThenNull_HoldsAgainstHealthySignalsThenHandsBack()
    {
        await StartAsync();

        var set = await PutAsync(new JsonObject { ["mode"] = "fallback_model", ["reason"] = "provider drill" });
        await Api.PostInteractionsAsync(Traffic(calls: 40, failures: 0));
        await Task.Delay(AssessInterval * 4);

        var held = await Api.GetJsonAsync("v1/incident");
        Assert.Equal("fallback_model", set["mode"]!.GetValue<string>());
        Assert.True(set["manual"]!.GetValue<bool>());
        Assert.Equal("provider drill", set["reason"]!.GetValue<string>());
        Assert.Equal("fallback_model", held["mode"]!.GetValue<string>());
        Assert.True(held["manual"]!.GetValue<bool>());

        var released = await PutAsync(new JsonObject { ["mode"] = null });

        Assert.False(released["manual"]!.GetValue<bool>());
        var log = (await Api.GetJsonAsync("v1/incidents"))["incidents"]!.AsArray();
        Assert.Equal(2, log.Count);
        Assert.Equal(["override", "override"], log.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal("high", log[0]!["severity"]!.GetValue<string>());
        Assert.Equal("normal", log[0]!["from_mode"]!.GetValue<string>());
        Assert.StartsWith("override released", log[1]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectorSource_AppPollsTheCollector_FollowsItsOverride()
    {
        await StartAsync(WithKeys);
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var source = new CollectorDegradationModeSource(
            new CollectorOptions { Endpoint = _host!.Address.ToString(), ApiKey = ReadKey },
            new DegradationOptions { Source = DegradationSource.Collector },
            services.GetRequiredService<IHttpClientFactory>());
        Assert.True(await source.PollOnceAsync());
        Assert.Equal(DegradationMode.Normal, source.Mode);

        using (var put = await SendPutAsync(new JsonObject { ["mode"] = "static_response", ["reason"] = "drill" }, AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.True(await source.PollOnceAsync());
        Assert.Equal(DegradationMode.StaticResponse, source.Mode);
        await _host.DisposeAsync();
        _host = null;
        Assert.False(await source.PollOnceAsync());
        Assert.Equal(DegradationMode.StaticResponse, source.Mode);
    }

    [Fact]
    public async Task Restart_SameStore_KeepsTheLogAndTheOverride()
    {
        await StartAsync();
        await PutAsync(new JsonObject { ["mode"] = "cached_only", ["reason"] = "INC-42" });
        var before = await Api.GetJsonAsync("v1/incident");

        await _host!.DisposeAsync();
        _host = null;
        await StartAsync();
        await Api.PostInteractionsAsync(Traffic(calls: 40, failures: 0));
        await Task.Delay(AssessInterval * 3);

        var after = await Api.GetJsonAsync("v1/incident");
        Assert.True(JsonNode.DeepEquals(before, after), $"before {before.ToJsonString()}, after {after.ToJsonString()}");
        var entry = Assert.Single((await Api.GetJsonAsync("v1/incidents"))["incidents"]!.AsArray());
        Assert.Equal("INC-42", entry!["reason"]!.GetValue<string>());
        Assert.Equal("medium", entry["severity"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetIncidents_FromTo_ListsOnlyTheRangeOldestFirst()
    {
        await StartAsync();
        await PutAsync(new JsonObject { ["mode"] = "cached_only", ["reason"] = "first" });
        await Task.Delay(20);
        var middle = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await PutAsync(new JsonObject { ["mode"] = "disabled", ["reason"] = "second" });
        await PutAsync(new JsonObject { ["mode"] = "normal", ["reason"] = "third" });

        var all = (await Api.GetJsonAsync("v1/incidents"))["incidents"]!.AsArray();
        var later = (await Api.GetJsonAsync("v1/incidents?from=" + Uri.EscapeDataString(TestRecords.Rfc3339(middle))))["incidents"]!.AsArray();
        var earlier = (await Api.GetJsonAsync("v1/incidents?to=" + Uri.EscapeDataString(TestRecords.Rfc3339(middle))))["incidents"]!.AsArray();
        var last = (await Api.GetJsonAsync("v1/incidents?limit=1"))["incidents"]!.AsArray();

        Assert.Equal(["first", "second", "third"], all.Select(e => e!["reason"]!.GetValue<string>()));
        Assert.Equal(["second", "third"], later.Select(e => e!["reason"]!.GetValue<string>()));
        Assert.Equal(["first"], earlier.Select(e => e!["reason"]!.GetValue<string>()));
        Assert.Equal(["third"], last.Select(e => e!["reason"]!.GetValue<string>()));
        Assert.Null(all[2]!["severity"]);
    }

    [Theory]
    [InlineData("{\"mode\": \"panic\", \"reason\": \"x\"}", "mode")]
    [InlineData("{\"mode\": 3, \"reason\": \"x\"}", "mode")]
    [InlineData("{\"reason\": \"x\"}", "mode")]
    [InlineData("{\"mode\": \"fallback_model\"}", "reason")]
    [InlineData("{\"mode\": \"fallback_model\", \"reason\": \"  \"}", "reason")]
    [InlineData("{\"mode\": \"fallback_model\", \"reason\": 7}", "reason")]
    [InlineData("not json", "body")]
    [InlineData("[\"fallback_model\"]", "body")]
    public async Task PutIncident_BadBody_IsRefusedNamingTheField(string body, string field)
    {
        await StartAsync();

        using var response = await Api.PutAsync(new Uri("v1/incident", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([(null, field)], CollectorApi.ErrorFields(problem));
        Assert.Equal("normal", (await Api.GetJsonAsync("v1/incident"))["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutIncident_NotJsonContentType_IsRefusedNamingTheBody()
    {
        await StartAsync();

        using var response = await Api.PutAsync(new Uri("v1/incident", UriKind.Relative),
            new StringContent("{\"mode\": null}", Encoding.UTF8, "text/plain"));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([(null, "body")], CollectorApi.ErrorFields(problem));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=soon", "to")]
    [InlineData("from=2026-12-06T10:00:00Z&to=2026-12-06T09:00:00Z", "from")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    public async Task GetIncidents_BadQuery_IsRefusedNamingTheField(string query, string field)
    {
        await StartAsync();

        using var response = await Api.GetAsync(new Uri("v1/incidents?" + query, UriKind.Relative));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([(null, field)], CollectorApi.ErrorFields(problem));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData(ReadKey, HttpStatusCode.Forbidden)]
    [InlineData(IngestKey, HttpStatusCode.Forbidden)]
    public async Task PutIncident_KeysSetWithoutAdminKey_IsRefused(string? key, HttpStatusCode expected)
    {
        await StartAsync(WithKeys);

        using var response = await SendPutAsync(new JsonObject { ["mode"] = "disabled", ["reason"] = "x" }, key);

        await CollectorApi.AssertProblemAsync(response, expected);
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri("v1/incident", UriKind.Relative));
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadKey);
        using var state = await Api.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Assert.Equal("normal", JsonNode.Parse(await state.Content.ReadAsStringAsync())!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutIncident_AdminKey_SetsTheMode()
    {
        await StartAsync(WithKeys);

        using var response = await SendPutAsync(new JsonObject { ["mode"] = "disabled", ["reason"] = "maintenance" }, AdminKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("disabled", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetIncident_KeysSetWithoutKey_IsRefused()
    {
        await StartAsync(WithKeys);

        using var response = await Api.GetAsync(new Uri("v1/incident", UriKind.Relative));

        await CollectorApi.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private static void WithKeys(VigilServerOptions options)
    {
        options.IngestKeys.Add(IngestKey);
        options.ReadKeys.Add(ReadKey);
        options.AdminKeys.Add(AdminKey);
    }

    private static List<JsonObject> Traffic(int calls, int failures)
    {
        var now = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(0, calls).Select(i => TestRecords.Interaction(timestamp: now.AddMilliseconds(-i))).ToList();
        for (var i = 0; i < failures; i++)
        {
            records[i * calls / failures]["status"] = "error";
            records[i * calls / failures]["http_status"] = 500;
        }

        return records;
    }

    private async Task StartAsync(Action<VigilServerOptions>? configure = null)
    {
        _host = await CollectorHost.StartAsync(Store, configure, new Dictionary<string, string?>
        {
            ["Vigil:Incidents:AssessInterval"] = AssessInterval.ToString(),
            ["Vigil:Incidents:MinRequests"] = "20",
            ["Vigil:Incidents:Window"] = "00:00:30",
            ["Vigil:Incidents:HoldPeriod"] = "01:00:00",
        });
    }

    private async Task<HttpResponseMessage> SendPutAsync(JsonObject body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("v1/incident", UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Api.SendAsync(request);
    }

    private async Task<JsonObject> PutAsync(JsonObject body)
    {
        using var response = await SendPutAsync(body, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT v1/incident: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<JsonObject> WaitForModeAsync(string mode, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = await Api.GetJsonAsync("v1/incident");
            if (state["mode"]!.GetValue<string>() == mode || DateTime.UtcNow > deadline)
            {
                Assert.True(state["mode"]!.GetValue<string>() == mode, $"No '{mode}' within {timeout}: {state.ToJsonString()}; {_host!.Logs}");
                return state;
            }

            await Task.Delay(50);
        }
    }
}

public sealed class SqliteIncidentApiTests : IncidentApiTests<SqliteTestStore>;

public sealed class PostgresIncidentApiTests : IncidentApiTests<PostgresTestStore>;
