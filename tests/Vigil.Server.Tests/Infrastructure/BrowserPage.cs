using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>
/// A page of a <see cref="BrowserSession"/> that records what a test asserts on: console errors and uncaught exceptions,
/// failed requests and answers of 400 or more, and every URL requested. Disposing closes its context.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();
    private readonly ConcurrentQueue<string> _requests = new();

    internal BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"uncaught: {error}");
        page.Request += (_, request) => _requests.Enqueue(request.Url);
        page.RequestFailed += (_, request) => _failedRequests.Enqueue($"{request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _failedRequests.Enqueue($"{response.Request.Method} {response.Url}: HTTP {response.Status}");
            }
        };
    }

    /// <summary>The Playwright page.</summary>
    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions so far.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Requests that failed or were answered with 400 or more, so far.</summary>
    public IReadOnlyList<string> FailedRequests => [.. _failedRequests];

    /// <summary>Every URL the page requested so far.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>The dashboard page's refreshes so far (<c>body[data-refreshes]</c>).</summary>
    public async Task<int> RefreshesAsync() =>
        int.Parse(await Page.EvaluateAsync<string>("() => document.body.dataset.refreshes || '0'"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the dashboard page has refreshed <paramref name="count"/> times.</summary>
    public async Task WaitForRefreshesAsync(int count) =>
        await Page.WaitForFunctionAsync("n => Number(document.body.dataset.refreshes || 0) >= n", count, new PageWaitForFunctionOptions { Timeout = 30_000 });

    /// <summary>Waits for the dashboard page's first refresh, its backfill, and a refresh after it: the charts are whole.</summary>
    public async Task WaitUntilWholeAsync()
    {
        await WaitForRefreshesAsync(1);
        await Page.WaitForFunctionAsync("() => document.body.dataset.backfilled === 'true'", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await WaitForRefreshesAsync(await RefreshesAsync() + 1);
    }

    /// <summary>Saves a full-page screenshot as <paramref name="fileName"/> under <see cref="BrowserSession.ScreenshotDirectory"/>; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string fileName)
    {
        Directory.CreateDirectory(BrowserSession.ScreenshotDirectory);
        var path = Path.Combine(BrowserSession.ScreenshotDirectory, fileName);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Closes the page's context.</summary>
    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
