using Microsoft.Playwright;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package, <see cref="ExecutablePath"/>) driven by Microsoft.Playwright through
/// the driver the NuGet package ships (Node and Playwright's JavaScript, copied to the test output): nothing is downloaded,
/// no Playwright browser is installed or looked for. Disposing closes the browser and the driver.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>The system browser: Debian's <c>chromium</c> (scripts/bootstrap installs it).</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private bool _disposed;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>Where screenshots go: <c>screenshots/</c> under the test output directory.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Starts the driver and launches the browser, headless.</summary>
    public static async Task<BrowserSession> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is not installed: run scripts/bootstrap (apt-get install chromium).");
        }

        // Belt and braces: the driver never fetches a browser of its own here (we launch the system one by path).
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 60_000,
                // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. The others keep a headless
                // browser on a small shared machine quiet: no GPU, no /dev/shm limits, no first-run or update traffic.
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                ],
            });
            return new BrowserSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new page in a fresh context (no shared cookies or cache) of <paramref name="width"/>×<paramref name="height"/>,
    /// answering an HTTP Basic challenge with <paramref name="username"/> and <paramref name="password"/> when given.
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(string? username = null, string? password = null, int width = 1366, int height = 768)
    {
        var options = new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            ServiceWorkers = ServiceWorkerPolicy.Block,
        };
        if (password is not null)
        {
            options.HttpCredentials = new HttpCredentials { Username = username ?? "vigil", Password = password };
        }

        var context = await Browser.NewContextAsync(options);
        return new BrowserPage(context, await context.NewPageAsync());
    }

    /// <summary>Closes the browser and stops the driver.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
