using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Alerting;
using Vigil.Alerting.Notifications;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Alerting.Notifications;

namespace Vigil.Server.Tests.Alerting;

/// <summary>
/// <c>POST /v1/alertmanager</c> through a real collector: Alertmanager's webhook body (version 4) reaches the
/// notifiers (a capture webhook on loopback) and the book of firing alerts; bad bodies are refused naming the field.
/// </summary>
public sealed class AlertmanagerApiTests : CollectorTestBase<SqliteTestStore>
{
    private const string IngestKey = "ingest-key-for-alertmanager";

    // Alertmanager's webhook body as its documentation lays it out (version 4), with the values Alertmanager writes:
    // nanosecond times, the zero endsAt of a firing alert, a route's groupKey, Prometheus's generatorURL.
    private const string AlertmanagerBody = """
        {
          "version": "4",
          "groupKey": "{}/{severity=~\"critical|high\"}:{alertname=\"LLMSuccessRateCritical\"}",
          "truncatedAlerts": 0,
          "status": "firing",
          "receiver": "vigil",
          "groupLabels": { "alertname": "LLMSuccessRateCritical" },
          "commonLabels": { "alertname": "LLMSuccessRateCritical", "severity": "critical", "team": "ai-platform" },
          "commonAnnotations": { "summary": "LLM API success rate below 95%" },
          "externalURL": "http://alertmanager.example.com:9093",
          "alerts": [
            {
              "status": "firing",
              "labels": { "alertname": "LLMSuccessRateCritical", "severity": "critical", "team": "ai-platform", "model": "gpt-4.1-mini" },
              "annotations": {
                "summary": "LLM API success rate below 95%",
                "description": "Success rate over the last 5 minutes: 91.2%, for more than 2 minutes.",
                "runbook_url": "https://github.com/example/vigil/blob/main/deploy/runbooks/LLMSuccessRateCritical.md"
              },
              "startsAt": "2026-01-05T08:58:01.123456789Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=sum%28rate%28llm_requests_total%5B5m%5D%29%29&g0.tab=1",
              "fingerprint": "a1b2c3d4e5f60718"
            },
            {
              "status": "resolved",
              "labels": { "alertname": "LLMSuccessRateCritical", "severity": "critical", "team": "ai-platform", "model": "gpt-4.1" },
              "annotations": { "summary": "LLM API success rate below 95%" },
              "startsAt": "2026-01-05T08:40:00Z",
              "endsAt": "2026-01-05T08:55:30.5+01:00",
              "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=up",
              "fingerprint": "0f1e2d3c4b5a6978"
            }
          ]
        }
        """;

    private CaptureServer _webhook = null!;
    private CollectorHost _collector = null!;

    protected override bool StartsCollector => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _webhook = await CaptureServer.StartAsync(() => DateTimeOffset.UtcNow, "/hook?token=secret-token");
        _collector = await CollectorHost.StartAsync(Store, o => o.IngestKeys.Add(IngestKey), new Dictionary<string, string?>
        {
            ["Vigil:Alerting:Webhook:Url"] = _webhook.Url.ToString(),
        });
        _collector.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IngestKey);
    }

    public override async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        await _webhook.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task PostAlertmanager_AlertmanagerBody_NotifiersGetEachChangeAndBookListsTheFiringOne()
    {
        var receipt = await PostAsync(AlertmanagerBody);

        Assert.Equal(2, receipt["received"]!.GetValue<int>());
        Assert.Equal(2, receipt["notified"]!.GetValue<int>());
        await UntilAsync(() => _webhook.Delivered.Count == 2, "the webhook receives both alerts");
        var firing = _webhook.Delivered.Single(b => b["status"]!.GetValue<string>() == "firing")["alerts"]![0]!;
        Assert.Equal("a1b2c3d4e5f60718", firing["fingerprint"]!.GetValue<string>());
        Assert.Equal("gpt-4.1-mini", firing["labels"]!["model"]!.GetValue<string>());
        Assert.Equal("2026-01-05T08:58:01.1234567Z", firing["startsAt"]!.GetValue<string>());
        Assert.Equal("0001-01-01T00:00:00Z", firing["endsAt"]!.GetValue<string>());
        var resolved = _webhook.Delivered.Single(b => b["status"]!.GetValue<string>() == "resolved")["alerts"]![0]!;
        Assert.Equal("2026-01-05T07:55:30.5Z", resolved["endsAt"]!.GetValue<string>());

        var book = Book();
        var active = Assert.Single(book.Active);
        Assert.Equal("LLMSuccessRateCritical", active.Name);
        Assert.Equal("critical", active.Severity);
        Assert.Equal("firing", active.State);
        Assert.Equal("alertmanager", active.Source); // told apart from Vigil's own engine's in GET /v1/alerts
        Assert.Equal("gpt-4.1-mini", active.Labels["model"]);
        Assert.Equal("https://github.com/example/vigil/blob/main/deploy/runbooks/LLMSuccessRateCritical.md", active.RunbookUrl);
        Assert.Contains(_collector.App.Services.GetServices<IActiveAlertSource>(), s => ReferenceEquals(s, book));

        Assert.DoesNotContain("secret-token", _collector.Logs.ToString(), StringComparison.Ordinal);

        // Alertmanager repeats the group every repeat_interval: nothing new to tell.
        Assert.Equal(0, (await PostAsync(AlertmanagerBody))["notified"]!.GetValue<int>());
    }

    [Fact]
    public async Task PostAlertmanager_VigilsOwnWebhookBody_ReadBackAsTheSameAlert()
    {
        await PostAsync(AlertmanagerBody);
        await UntilAsync(() => _webhook.Delivered.Count == 2, "the webhook receives both alerts");
        var sent = _webhook.Requests.Single(r => r.Json["status"]!.GetValue<string>() == "firing");

        // What Vigil's webhook posts is Alertmanager's format: the same endpoint takes it (the alert already fires).
        var receipt = await PostAsync(sent.Body);

        Assert.Equal(1, receipt["received"]!.GetValue<int>());
        Assert.Equal(0, receipt["notified"]!.GetValue<int>());
        Assert.Equal("application/json", sent.ContentType?.Split(';')[0]);
    }

    [Fact]
    public async Task PostAlertmanager_ResolvedAfterFiring_BookEmptiesAndResolveIsNotified()
    {
        await PostAsync(AlertmanagerBody);
        var resolved = JsonNode.Parse(AlertmanagerBody)!.AsObject();
        var alert = resolved["alerts"]![0]!.AsObject();
        alert["status"] = "resolved";
        alert["endsAt"] = "2026-01-05T09:10:00Z";
        resolved["alerts"] = new JsonArray(alert.DeepClone());

        var receipt = await PostAsync(resolved.ToJsonString());

        Assert.Equal(1, receipt["notified"]!.GetValue<int>());
        Assert.Empty(Book().Active);
        await UntilAsync(() => _webhook.Delivered.Count == 3, "the webhook receives the resolve");
        Assert.Equal("resolved", _webhook.Delivered[2]["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostAlertmanager_WithoutTheIngestKey_401AndNothingNotified()
    {
        using var client = _collector.CreateClient();

        using var response = await client.PostAsync(new Uri("v1/alertmanager", UriKind.Relative), new StringContent(AlertmanagerBody, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Book().Active);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "not json", "$" },
        { "[]", "$" },
        { """{"alerts": []}""", "version" },
        { """{"version": "3", "alerts": []}""", "version" },
        { """{"version": 4, "alerts": []}""", "version" },
        { """{"version": "4"}""", "alerts" },
        { """{"version": "4", "alerts": {}}""", "alerts" },
        { """{"version": "4", "alerts": [42]}""", "alerts[0]" },
        { """{"version": "4", "alerts": [{"status": "pending", "labels": {"alertname": "A"}, "startsAt": "2026-01-05T09:00:00Z"}]}""", "alerts[0].status" },
        { """{"version": "4", "alerts": [{"status": "firing", "labels": {"severity": "critical"}, "startsAt": "2026-01-05T09:00:00Z"}]}""", "alerts[0].labels.alertname" },
        { """{"version": "4", "alerts": [{"status": "firing", "startsAt": "2026-01-05T09:00:00Z"}]}""", "alerts[0].labels" },
        { """{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A", "severity": 1}, "startsAt": "2026-01-05T09:00:00Z"}]}""", "alerts[0].labels.severity" },
        { """{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A"}, "startsAt": "yesterday"}]}""", "alerts[0].startsAt" },
        { """{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A"}, "startsAt": "2026-01-05 09:00:00"}]}""", "alerts[0].startsAt" },
        { """{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A"}}]}""", "alerts[0].startsAt" },
        { """{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A"}, "startsAt": "2026-01-05T09:00:00Z"}, {"status": "resolved", "labels": {"alertname": "B"}, "startsAt": "2026-01-05T09:00:00Z", "endsAt": "soon"}]}""", "alerts[1].endsAt" },
        { """{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A"}, "annotations": ["x"], "startsAt": "2026-01-05T09:00:00Z"}]}""", "alerts[0].annotations" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task PostAlertmanager_BadBody_400NamingTheFieldAndNothingTaken(string body, string field)
    {
        using var response = await _collector.Client.PostAsync(new Uri("v1/alertmanager", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await CollectorApi.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(CollectorApi.ErrorFields(problem), e => e.Field == field);
        Assert.Empty(Book().Active);
        await Task.Delay(50);
        Assert.Empty(_webhook.Requests);
    }

    private AlertmanagerAlertBook Book() => _collector.App.Services.GetRequiredService<AlertmanagerAlertBook>();

    private async Task<JsonObject> PostAsync(string body)
    {
        using var response = await _collector.Client.PostAsync(new Uri("v1/alertmanager", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Timed out waiting until {what}; requests: {_webhook.Requests.Count}; logs: {_collector.Logs}");
            await Task.Delay(10);
        }
    }
}
