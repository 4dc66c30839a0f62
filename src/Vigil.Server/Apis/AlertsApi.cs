using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Alerting.Engine;
using Vigil.Reports;

namespace Vigil.Server.Apis;

/// <summary><c>GET /v1/alerts</c>: every alert now pending or firing, of every source (Vigil's engine, received ones).</summary>
internal static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/alerts", GetAlerts);
        return group;
    }

    private static ContentHttpResult GetAlerts(ActiveAlerts alerts) =>
        TypedResults.Text(
            JsonSerializer.Serialize(new AlertsResponse(alerts.All()), AlertsJsonContext.Default.AlertsResponse),
            "application/json; charset=utf-8");
}

/// <summary>The body of <c>GET /v1/alerts</c>.</summary>
/// <param name="Alerts">The alerts, by severity then name.</param>
internal sealed record AlertsResponse(IReadOnlyList<AlertFigures> Alerts);

/// <summary>Source-generated snake_case JSON for <c>GET /v1/alerts</c>, as the report writes its <c>alerts</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true)]
[JsonSerializable(typeof(AlertsResponse))]
internal sealed partial class AlertsJsonContext : JsonSerializerContext;
