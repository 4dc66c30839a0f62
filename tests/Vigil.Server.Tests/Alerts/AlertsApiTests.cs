using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Alerting.Engine;
using Vigil.Server.Ingest;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Alerts;

/// <summary>
/// Vigil's alert engine in the collector: <c>GET /v1/alerts</c> and the report's <c>alerts</c> list what it evaluates
/// from the records posted, and its pending alerts survive a restart with their <c>since</c>.
/// </summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class AlertsApiTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    [Fact]
    public async Task GetAlerts_NoTraffic_IsAnEmptyList()
    {
        await RoundAsync();

        var body = await Client.GetJsonAsync("v1/alerts");

        Assert.Empty(body["alerts"]!.AsArray());
    }

    [Fact]
    public async Task GetAlerts_FailingTraffic_ListsThePendingAlertsAsTheReportDoes()
    {
        await Client.PostInteractionsAsync([.. Enumerable.Range(0, 40).Select(_ => Failed())]);
        await RoundAsync();

        var alerts = (await Client.GetJsonAsync("v1/alerts"))["alerts"]!.AsArray();
        var report = (await Client.GetReportAsync())["alerts"]!.AsArray();

        // Critical first, then by name: both conditions hold from the first evaluation, for less than their 2 minutes.
        Assert.Equal(["LLMAvailabilityBudgetBurnFast", "LLMSuccessRateCritical"], alerts.Take(2).Select(a => a!["name"]!.GetValue<string>()));
        var success = alerts.Single(a => a!["name"]!.GetValue<string>() == "LLMSuccessRateCritical")!;
        Assert.Equal("critical", success["severity"]!.GetValue<string>());
        Assert.Equal("pending", success["state"]!.GetValue<string>());
        Assert.Equal(0, success["value"]!.GetValue<double>());
        Assert.Equal("LLMSuccessRateCritical", success["labels"]!["alertname"]!.GetValue<string>());
        Assert.Equal("ai-platform", success["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("LLM API success rate below 95%", success["summary"]!.GetValue<string>());
        Assert.Equal("deploy/runbooks/LLMSuccessRateCritical.md", success["runbook_url"]!.GetValue<string>());
        Assert.Equal("vigil", success["source"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(success["since"]!.GetValue<string>(), out _));
        Assert.Equal(alerts.ToJsonString(), report.ToJsonString());
    }

    [Fact]
    public async Task Restart_PendingAlert_KeepsItsSince()
    {
        await Client.PostInteractionsAsync([.. Enumerable.Range(0, 40).Select(_ => Failed())]);
        await RoundAsync();
        var before = await SinceOfAsync(Client);

        await StartCollectorAsync();
        JsonNode? after = null;
        for (var i = 0; i < 100 && after is null; i++)
        {
            after = await SinceOfAsync(Client);
            if (after is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.Equal(
            DateTimeOffset.Parse(before.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            DateTimeOffset.Parse(after.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
    }

    private static async Task<JsonNode?> SinceOfAsync(HttpClient client)
    {
        var alerts = (await client.GetJsonAsync("v1/alerts"))["alerts"]!.AsArray();
        return alerts.FirstOrDefault(a => a!["name"]!.GetValue<string>() == "LLMSuccessRateCritical")?["since"];
    }

    // One round of the engine's loop (evaluate, save), after the ingest writer has counted what was posted.
    private async Task RoundAsync()
    {
        await Host.App.Services.GetRequiredService<IngestWriter>().SettleAsync(CancellationToken.None);
        await Host.App.Services.GetRequiredService<AlertEngineLoop>().RoundAsync();
    }

    private static JsonObject Failed()
    {
        var record = TestRecords.Interaction();
        record["status"] = "error";
        record["error_type"] = "server_error";
        return record;
    }
}

public sealed class SqliteAlertsApiTests : AlertsApiTests<SqliteTestStore>;

public sealed class PostgresAlertsApiTests : AlertsApiTests<PostgresTestStore>;
