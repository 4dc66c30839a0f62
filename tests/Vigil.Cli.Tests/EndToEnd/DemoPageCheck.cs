using Microsoft.Playwright;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// Debian's headless Chromium on the demo's dashboard page while the demo runs: it loads the page, waits for live
/// refreshes, reads the figures, the alert rows and the mode, keeps what went wrong in the page (console errors, failed
/// requests, requests to any other host) and saves a screenshot.
/// </summary>
public static class DemoPageCheck
{
    /// <summary>The figures every panel shows once the demo has traffic, feedback and verdicts.</summary>
    public static readonly string[] LiveFigures =
    [
        "success_rate", "good_rate", "requests", "p50_ms", "p95_ms", "p99_ms", "ttft_p95_ms",
        "hour_cost_usd", "hourly_budget_usd", "thumbs_up_rate", "avg_rating", "nps",
        "avg_overall", "evaluated", "hallucination_rate", "cache_hit_rate", "mode",
    ];

    /// <summary>Opens <paramref name="collector"/>'s page and reads it after two refreshes.</summary>
    public static async Task<DemoPageSighting> RunAsync(Uri collector, string alertName, CancellationToken cancellationToken)
    {
        await using var browser = await BrowserSession.LaunchAsync();
        await using var page = await browser.NewPageAsync(width: 1366, height: 1016);
        await page.Page.GotoAsync(collector.ToString());
        await page.WaitUntilWholeAsync();
        cancellationToken.ThrowIfCancellationRequested();

        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in LiveFigures)
        {
            figures[name] = (await page.Page.Locator($"[data-figure=\"{name}\"]").First.TextContentAsync())?.Trim() ?? string.Empty;
        }

        var alertRows = page.Page.Locator("#alert-rows tr").Filter(new LocatorFilterOptions { HasText = alertName });
        var alertText = await alertRows.CountAsync() > 0 ? string.Join(" | ", await alertRows.AllTextContentsAsync()) : string.Empty;
        var screenshot = await page.ScreenshotAsync("demo-dashboard.png");
        var origin = collector.GetLeftPart(UriPartial.Authority) + "/";
        return new DemoPageSighting(
            DateTimeOffset.UtcNow,
            figures,
            alertText,
            page.Errors,
            page.FailedRequests,
            [.. page.Requests.Where(url => !url.StartsWith(origin, StringComparison.Ordinal))],
            screenshot);
    }
}

/// <summary>What the browser saw on the page during the demo.</summary>
/// <param name="At">When.</param>
/// <param name="Figures">Each live figure's text, by its <c>data-figure</c> name.</param>
/// <param name="AlertRows">The text of the alert rows naming the outage's alert (empty: none).</param>
/// <param name="Errors">Console errors and uncaught exceptions.</param>
/// <param name="FailedRequests">Requests that failed or answered 4xx/5xx.</param>
/// <param name="ForeignRequests">Requests to any host other than the collector.</param>
/// <param name="Screenshot">Where the screenshot was saved.</param>
public sealed record DemoPageSighting(
    DateTimeOffset At,
    IReadOnlyDictionary<string, string> Figures,
    string AlertRows,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> FailedRequests,
    IReadOnlyList<string> ForeignRequests,
    string Screenshot);
