using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Vigil.Cli.Demo;

/// <summary>What the console shows of the collector now: the last minute's figures, the mode and the alerts.</summary>
/// <param name="SuccessRate">Success rate over the last minute (null: no calls).</param>
/// <param name="P95Ms">Latency P95 over the last minute.</param>
/// <param name="TtftP95Ms">Time to first token P95 over the last minute.</param>
/// <param name="CostPerInteractionUsd">Cost per interaction over the last minute.</param>
/// <param name="HallucinationRate">Hallucination rate of the last minute's verdicts.</param>
/// <param name="ThumbsUpRate">Thumbs-up rate of the last minute's feedback.</param>
/// <param name="Mode">The degradation mode in force.</param>
/// <param name="Alerts">The pending and firing alerts, as <c>name (state)</c>.</param>
internal sealed record DemoStatus(double? SuccessRate, double? P95Ms, double? TtftP95Ms, double? CostPerInteractionUsd, double? HallucinationRate,
    double? ThumbsUpRate, string Mode, IReadOnlyList<string> Alerts)
{
    /// <summary>Before the first answer from the collector.</summary>
    public static DemoStatus Unknown { get; } = new(null, null, null, null, null, null, "normal", []);

    /// <summary>Asks the collector at <paramref name="collector"/> (the same API the page and a user read).</summary>
    public static async Task<DemoStatus> ReadAsync(HttpClient http, Uri collector, TimeProvider time, CancellationToken cancellationToken)
    {
        var from = (time.GetUtcNow() - TimeSpan.FromMinutes(1)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var report = await GetAsync(http, new Uri(collector, "v1/report?from=" + Uri.EscapeDataString(from)), cancellationToken).ConfigureAwait(false);
        var incident = await GetAsync(http, new Uri(collector, "v1/incident"), cancellationToken).ConfigureAwait(false);
        var alerts = await GetAsync(http, new Uri(collector, "v1/alerts"), cancellationToken).ConfigureAwait(false);
        var global = report?["sla"]?["global"];
        return new DemoStatus(
            Number(global?["success_rate"]),
            Number(global?["p95_ms"]),
            Number(global?["ttft_p95_ms"]),
            Number(report?["cost"]?["per_interaction_usd"]),
            Number(report?["quality"]?["hallucination_rate"]),
            Number(report?["satisfaction"]?["thumbs_up_rate"]),
            incident?["mode"]?.ToString() ?? "normal",
            [.. (alerts?["alerts"] as JsonArray ?? []).Select(a => $"{a?["name"]} ({a?["state"]})")]);
    }

    /// <summary>A client for <see cref="ReadAsync"/>, with a read key when the collector needs one.</summary>
    public static HttpClient CreateClient(string? readKey)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        if (readKey is { Length: > 0 })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readKey);
        }

        return http;
    }

    private static async Task<JsonNode?> GetAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))
            : null;
    }

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
}
